#pragma once
// The peers of the snapshot swap and held request tests: the proxy Server they drive, blocking
// in-test HTTP upstreams that name themselves, and a blocking keep-alive client, on real
// sockets on 127.0.0.1.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "proxy/http/head_parser.h"
#include "proxy/server/server.h"

namespace portico::proxy::swap_test {

// Bound on every wait in this file; each one normally ends within milliseconds.
inline constexpr auto kWait = std::chrono::seconds(5);

// A started two-worker Server on a free port of 127.0.0.1 (null, with a test failure, when it
// cannot start).
inline std::unique_ptr<Server> start_two_worker_server() {
  ProxyOptions options;
  options.listen_address = "127.0.0.1";
  options.http_port = 0;
  options.workers = 2;
  options.drain_timeout = std::chrono::seconds(2);
  auto server = std::make_unique<Server>(options);
  const Status started = server->start();
  if (!started.ok()) {
    ADD_FAILURE() << started.error();
    return nullptr;
  }
  return server;
}

inline sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

inline std::string errno_text() {
  return std::strerror(errno);
}

// Owns a socket descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

inline bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Appends what one recv() returns to `in`; false on EOF, error or (clients) receive timeout.
inline bool receive_some(int fd, std::string& in) {
  char chunk[4096];
  const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  in.append(chunk, static_cast<std::size_t>(n));
  return true;
}

// An HTTP/1.1 upstream that answers every request on a keep-alive connection with a
// Content-Length framed body naming itself. GET /slow is held until release_slow() (or
// kWait), so that a test can keep a request in flight as long as it needs. Blocking sockets,
// one thread per connection; the public methods may be called from any thread.
class FakeUpstream {
 public:
  explicit FakeUpstream(std::string name) : name_(std::move(name)) {
    const sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    sockaddr_in bound{};
    if (::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_.get(), 64) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
      ADD_FAILURE() << "upstream " << name_ << " cannot listen: " << errno_text();
    }
    port_ = ntohs(bound.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~FakeUpstream() {
    // shutdown() wakes the blocked accept() and recv() calls; close() alone would not.
    ::shutdown(listener_.get(), SHUT_RDWR);
    accept_thread_.join();
    release_slow();
    {
      std::lock_guard lock(mutex_);
      for (const Fd& connection : connections_) ::shutdown(connection.get(), SHUT_RDWR);
    }
    for (std::thread& thread : connection_threads_) thread.join();
  }

  boost::asio::ip::tcp::endpoint endpoint() const {
    return {boost::asio::ip::make_address("127.0.0.1"), port_};
  }
  const std::string& name() const { return name_; }
  int accepted() const { return accepted_.load(); }

  bool wait_for_slow_request() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kWait, [this] { return slow_requests_ > 0; });
  }

  // The body of the last request received (empty for a body-less one).
  std::string last_body() {
    std::lock_guard lock(mutex_);
    return last_body_;
  }

  void release_slow() {
    std::lock_guard lock(mutex_);
    slow_released_ = true;
    changed_.notify_all();
  }

 private:
  void accept_loop() {
    for (;;) {
      const int fd = ::accept(listener_.get(), nullptr, nullptr);
      if (fd < 0) return;
      ++accepted_;
      std::lock_guard lock(mutex_);
      const Fd& connection = connections_.emplace_back(fd);
      connection_threads_.emplace_back([this, &connection] { serve(connection.get()); });
    }
  }

  void serve(int fd) {
    const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(name_.size()) + "\r\n\r\n" + name_;
    std::string in;
    for (;;) {
      std::size_t head_end;
      while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
        if (!receive_some(fd, in)) return;
      }
      const bool slow = in.starts_with("GET /slow ");
      const std::size_t length = content_length(std::string_view(in).substr(0, head_end));
      while (in.size() < head_end + 4 + length) {
        if (!receive_some(fd, in)) return;
      }
      {
        std::lock_guard lock(mutex_);
        last_body_ = in.substr(head_end + 4, length);
      }
      in.erase(0, head_end + 4 + length);
      if (slow) hold();
      if (!send_all(fd, response)) return;
    }
  }

  // The Content-Length of a request head; 0 without one (the tests send no chunked bodies).
  static std::size_t content_length(std::string_view head) {
    std::string lower(head);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static constexpr std::string_view kField = "\r\ncontent-length:";
    const std::size_t at = lower.find(kField);
    return at == std::string::npos ? 0 : std::stoul(lower.substr(at + kField.size()));
  }

  void hold() {
    std::unique_lock lock(mutex_);
    ++slow_requests_;
    changed_.notify_all();
    changed_.wait_for(lock, kWait, [this] { return slow_released_; });
  }

  const std::string name_;
  Fd listener_{::socket(AF_INET, SOCK_STREAM, 0)};
  uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread accept_thread_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<Fd> connections_;  // a list: serving threads keep references into it
  std::vector<std::thread> connection_threads_;
  int slow_requests_ = 0;
  std::string last_body_;
  bool slow_released_ = false;
};

struct Reply {
  int status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header's value; empty when absent
  std::string error;        // empty when a complete response arrived
};

inline std::ostream& operator<<(std::ostream& out, const Reply& reply) {
  if (!reply.error.empty()) return out << "error: " << reply.error;
  return out << reply.status << " \"" << reply.body << "\"";
}

// One keep-alive client connection to the proxy, blocking, every read bounded by kWait.
// One thread at a time.
class Client {
 public:
  explicit Client(uint16_t port) {
    const timeval timeout{std::chrono::seconds(kWait).count(), 0};
    ::setsockopt(socket_.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const sockaddr_in address = loopback(port);
    connected_ =
        ::connect(socket_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }

  Reply get(std::string_view path) {
    if (!send_get(path)) {
      Reply reply;
      reply.error = connected_ ? "send failed: " + errno_text() : "not connected";
      return reply;
    }
    return receive();
  }

  // The request half of get(): false when it could not be sent.
  bool send_get(std::string_view path) {
    return send(std::string("GET ") + std::string(path) + " HTTP/1.1\r\nHost: swap.test\r\n\r\n");
  }
  bool send(std::string_view bytes) { return connected_ && send_all(socket_.get(), bytes); }

  // The response half of get(): reads one Content-Length framed response.
  Reply receive() {
    Reply reply;
    http::ResponseHead head;
    http::ParseResult parsed;
    while ((parsed = http::parse_response_head(in_, http::HeadLimits{}, "GET", head)).status ==
           http::ParseStatus::kIncomplete) {
      if (!receive_some(socket_.get(), in_)) {
        reply.error = "connection ended before a response head";
        return reply;
      }
    }
    if (parsed.status != http::ParseStatus::kComplete ||
        head.facts.framing != http::BodyFraming::kContentLength) {
      reply.error = "not a Content-Length framed response: " + in_;
      return reply;
    }
    reply.status = head.status;
    for (const http::HeaderField& field : head.headers) {
      if (http::iequals(field.name, "Retry-After")) reply.retry_after = field.value;
    }
    const std::size_t length = head.facts.content_length;
    while (in_.size() < parsed.consumed + length) {
      if (!receive_some(socket_.get(), in_)) {
        reply.error = "connection ended inside a response body";
        return reply;
      }
    }
    reply.body = in_.substr(parsed.consumed, length);
    in_.erase(0, parsed.consumed + length);
    return reply;
  }

 private:
  Fd socket_{::socket(AF_INET, SOCK_STREAM, 0)};
  bool connected_ = false;
  std::string in_;
};

}  // namespace portico::proxy::swap_test
