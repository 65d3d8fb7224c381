#pragma once
// A tiny HTTP server for the metric sources' tests: every connection gets the same canned
// bytes once its request head has arrived, optionally in pieces with pauses between them, and
// is then closed or held open until the client goes. Runs on its own thread; request_heads() is
// thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace portico::autoscaler::test {

struct CannedServerOptions {
  std::string address = "127.0.0.1";
  bool hold_open = false;              // keep the connection after the reply
  std::chrono::milliseconds pause{0};  // between two pieces of the reply
};

class CannedHttpServer {
 public:
  // Throws if it cannot listen on `options.address` (port chosen by the system).
  explicit CannedHttpServer(std::vector<std::string> pieces, CannedServerOptions options = {});
  explicit CannedHttpServer(std::string reply, CannedServerOptions options = {})
      : CannedHttpServer(std::vector<std::string>{std::move(reply)}, std::move(options)) {}
  ~CannedHttpServer();
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;

  uint16_t port() const { return port_; }
  // The request heads received so far, request line to the blank line.
  std::vector<std::string> request_heads() const;

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

  const std::vector<std::string> pieces_;
  const CannedServerOptions options_;
  boost::asio::io_context context_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::string> heads_;  // guarded by mutex_
  std::thread thread_;              // last: runs context_ over the members above
};

// A whole HTTP/1.1 response with Content-Length and "Connection: close".
std::string http_response(int status, std::string_view content_type, std::string_view body);

// A port on 127.0.0.1 nobody listens on: connections to it are refused.
uint16_t refused_port();

// The value of header `name` (any case) in a request head, blanks trimmed; empty when absent.
std::string header_value(std::string_view request_head, std::string_view name);

// The value of `name` in a request target's query string, percent- and '+'-decoded as
// Prometheus (Go's url.ParseQuery) reads it; empty when absent.
std::string query_parameter(std::string_view request_head, std::string_view name);

}  // namespace portico::autoscaler::test
