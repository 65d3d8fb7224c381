#pragma once
// A tiny blocking HTTP/1.1 client for the fake API server's own tests, on raw Boost.Asio
// sockets (optionally TLS) and independent of the controller's client: one connection,
// requests with whole responses, and watch bodies read chunk by chunk with deadlines.
// Not thread-safe: one test thread uses it.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

namespace portico::testing {

struct TestResponse {
  int status = 0;  // 0: no complete response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

struct TestChunk {
  enum class Kind { kData, kLast, kClosed, kTimeout };
  Kind kind;
  std::string data;
};

class HttpTestClient {
 public:
  using Duration = std::chrono::milliseconds;
  static constexpr Duration kDefaultTimeout{3000};

  // Connects to 127.0.0.1:`port`; with `tls`, also does the TLS handshake (verifying the
  // server for 127.0.0.1 when `tls` has verify_peer set). Throws on failure.
  explicit HttpTestClient(uint16_t port, boost::asio::ssl::context* tls = nullptr);

  // Sends one request; extra `headers` are "Name: value" lines without CRLF.
  void send(std::string_view method, std::string_view target, std::string_view body = {},
            std::string_view headers = {});
  // Reads one whole response (Content-Length or chunked body).
  TestResponse receive(Duration timeout = kDefaultTimeout);
  TestResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       std::string_view headers = {});

  // Reads only the status line and headers, for a streamed body.
  TestResponse receive_head(Duration timeout = kDefaultTimeout);
  // The next chunk of a chunked body.
  TestChunk next_chunk(Duration timeout = kDefaultTimeout);

 private:
  enum class Fill { kOk, kClosed, kTimeout };
  Fill fill(std::chrono::steady_clock::time_point deadline);
  // Reads up to and including `delimiter`, returning what came before it.
  std::optional<std::string> read_until(std::string_view delimiter,
                                        std::chrono::steady_clock::time_point deadline,
                                        Fill& failure);
  std::optional<std::string> read_exact(std::size_t size,
                                        std::chrono::steady_clock::time_point deadline,
                                        Fill& failure);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  std::string buffer_;
};

}  // namespace portico::testing
