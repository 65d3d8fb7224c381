#include "autoscaler/sources/http_get.h"

#include <cpprest/http_client.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <system_error>
#include <thread>
#include <vector>

#include "controller/kube/response_body.h"

namespace portico::autoscaler {
namespace {

namespace http = web::http;

constexpr std::size_t kExcerptBytes = 200;

// cpprestsdk's own timeout restarts on every completed read, so a peer trickling chunks never
// trips it. This bounds the whole exchange instead: at `limit` it cancels the request, which
// makes cpprestsdk close the connection and fail whatever read is pending. Destruction cancels
// too, so an exchange abandoned early (a refused body) does not go on filling cpprestsdk's
// buffer. A thread per call, because pplx has no timer: the sources call a few times per sync
// period. The owner's thread creates and destroys it; expired() may be read meanwhile.
class Deadline {
 public:
  Deadline(pplx::cancellation_token_source source, std::chrono::milliseconds limit)
      : source_(std::move(source)), thread_([this, limit](std::stop_token stop) {
          std::mutex mutex;
          std::condition_variable_any wake;
          std::unique_lock lock(mutex);
          wake.wait_for(lock, stop, limit, [] { return false; });
          if (stop.stop_requested()) return;
          expired_.store(true);
          source_.cancel();
        }) {}
  ~Deadline() {
    thread_.request_stop();
    thread_.join();
    source_.cancel();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() const { return expired_.load(); }

 private:
  pplx::cancellation_token_source source_;
  std::atomic<bool> expired_{false};
  std::jthread thread_;  // last: it uses the members above
};

// Where a request goes. cpprestsdk hands the URI's host to the resolver as written, and a
// bracketed IPv6 literal does not resolve (microsoft/cpprestsdk#1705), so the client gets the
// bare address and the Host header keeps the brackets (RFC 9110 section 7.2).
struct Target {
  web::uri server;
  std::string host_header;
  std::string resource;  // path and query
};

Result<Target> split_url(const std::string& url) {
  try {
    const web::uri parsed(url);
    if (parsed.scheme() != "http" && parsed.scheme() != "https") {
      return Error{"not an http:// or https:// URL"};
    }
    std::string host = parsed.host();
    if (host.empty()) return Error{"the URL has no host"};
    Target target;
    target.host_header = host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    web::uri_builder server;
    server.set_scheme(parsed.scheme()).set_host(host);
    if (!parsed.is_port_default()) {
      server.set_port(parsed.port());
      target.host_header += ":" + std::to_string(parsed.port());
    }
    target.server = server.to_uri();
    target.resource = parsed.resource().to_string();
    return target;
  } catch (const std::exception& error) {
    return Error{std::string("not a usable URL: ") + error.what()};
  }
}

// The body as it arrives, refused beyond `limit`. Throws what cpprestsdk throws.
Result<std::string> read_bounded(const http::http_response& response, std::size_t limit) {
  const std::string refused = "the response body exceeds " + std::to_string(limit) + " bytes";
  uint64_t declared = 0;
  if (response.headers().match(http::header_names::content_length, declared) && declared > limit) {
    return Error{refused + " (Content-Length " + std::to_string(declared) + ")"};
  }
  std::string body;
  const controller::kube::BodyEnd end =
      controller::kube::read_body(response, [&](std::string_view piece) {
        if (body.size() + piece.size() > limit) return false;
        body.append(piece);
        return true;
      });
  if (end == controller::kube::BodyEnd::kStopped) return Error{refused};
  return body;
}

bool is_timeout(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const http::http_exception& error) {
    return error.error_code() == std::errc::timed_out;
  } catch (...) {
    return false;
  }
}

// What cpprestsdk reported; whether the status line had arrived says whether the peer was
// reached at all. Its error_code is left out: cpprestsdk passes on Asio's values without their
// category, so they read wrong (a refused connect as "No route to host").
std::string describe(const std::exception_ptr& failure, bool response_started) {
  const std::string step = response_started ? "the response broke off: " : "no response: ";
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return step + error.what();
  } catch (...) {
    return step + "unknown error";
  }
}

}  // namespace

Result<HttpReply> http_get(const std::string& url, std::string_view accept,
                           std::chrono::milliseconds timeout, std::size_t max_body_bytes) {
  if (timeout <= std::chrono::milliseconds::zero()) return Error{"the timeout is not positive"};
  Result<Target> target = split_url(url);
  if (!target) return Error{target.error()};
  pplx::cancellation_token_source cancel;
  std::optional<Deadline> deadline;
  bool response_started = false;
  try {
    http::client::http_client_config config;
    config.set_timeout(timeout);  // cpprestsdk's inactivity limit; the deadline bounds the rest
    config.set_max_redirects(0);
    http::client::http_client client(target.value().server, config);
    http::http_request request(http::methods::GET);
    request.set_request_uri(target.value().resource);
    request.headers().add(http::header_names::host, target.value().host_header);
    request.headers().add(http::header_names::user_agent, "portico");
    request.headers().add(http::header_names::accept, std::string(accept));
    deadline.emplace(cancel, timeout);
    const http::http_response response = client.request(request, cancel.get_token()).get();
    response_started = true;
    Result<std::string> body = read_bounded(response, max_body_bytes);
    if (!body) return Error{body.error()};
    return HttpReply{response.status_code(), std::move(body.value())};
  } catch (...) {
    const std::exception_ptr failure = std::current_exception();
    if ((deadline && deadline->expired()) || is_timeout(failure)) {
      return Error{"no complete response within " + std::to_string(timeout.count()) + "ms"};
    }
    return Error{describe(failure, response_started)};
  }
}

std::string body_excerpt(std::string_view body) {
  std::string excerpt(body.substr(0, kExcerptBytes));
  std::replace_if(
      excerpt.begin(), excerpt.end(),
      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, '?');
  if (body.size() > kExcerptBytes) excerpt += "...";
  return excerpt;
}

}  // namespace portico::autoscaler
