#pragma once
// A deliberately simple blocking HTTP/1.1 client for integration tests: raw bytes in, one
// parsed response out. Independent of Portico's own parser so the tests check it rather
// than share its mistakes. Every wait is bounded.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::testing {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // First header with this name (case-insensitive), or "".
  std::string header(std::string_view name) const;
  int count(std::string_view name) const;
};

class RawConnection {
 public:
  RawConnection(const std::string& ip, uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool send(std::string_view bytes);
  void shutdown_write();
  // One response; nullopt when the connection closes or `timeout` passes first.
  // `head_request`: the response has no body whatever its headers say.
  std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout,
                                            bool head_request = false);
  // The same, but body bytes go to `sink` as they arrive and are never stored, so a test can
  // receive bodies larger than memory; the returned response's body is empty.
  using BodySink = std::function<void(std::string_view)>;
  std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout, bool head_request,
                                            const BodySink& sink);
  // Up to `max` bytes as they arrive (tunnels); "" on close or timeout.
  std::string read_some(std::chrono::milliseconds timeout, std::size_t max = 65536);
  // True when the peer closes within `timeout` (any unread bytes are discarded).
  bool wait_closed(std::chrono::milliseconds timeout);
  int fd() const { return fd_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string pending_;
};

// GET/POST helpers over a fresh connection.
std::optional<HttpResponse> http_request(
    uint16_t port, std::string_view method, std::string_view path, std::string_view host,
    const std::vector<std::pair<std::string, std::string>>& headers = {},
    std::string_view body = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Polls `condition` every 20 ms until it holds or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    if (condition()) return true;
    struct timespec pause {
      0, 20'000'000
    };
    nanosleep(&pause, nullptr);
  }
  return condition();
}

}  // namespace portico::testing
