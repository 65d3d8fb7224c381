#include "tests/fakes/fake_api_server/http_connection.h"

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "tests/fakes/fake_api_server/request_router.h"
#include "tests/fakes/fake_api_server/watch_stream.h"

namespace portico::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

// Bodies of any object the API server would store, with room for a benchmark's big lists.
constexpr std::uint64_t kMaxRequestBody = 64u << 20;

std::string response_bytes(const Reply& reply, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + ' ';
  const boost::beast::string_view reason =
      http::obsolete_reason(static_cast<http::status>(reply.status));
  out.append(reason.data(), reason.size());
  out += "\r\nContent-Type: application/json\r\nContent-Length: ";
  out += std::to_string(reply.body.size());
  out += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  out += reply.body;
  return out;
}

template <typename Stream>
bool write_all(Stream& stream, std::string_view bytes) {
  boost::system::error_code error;
  asio::write(stream, asio::buffer(bytes.data(), bytes.size()), error);
  return !error;
}

// A partitioned API server: the request was read, no answer comes while hang_requests() is
// set. False when the server stops meanwhile.
bool wait_while_hanging(ServerCore& core) {
  while (true) {
    {
      const std::lock_guard lock(core.mutex);
      if (core.stopping) return false;
      if (!core.hanging) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Requests until the connection ends, whatever the reason.
template <typename Stream>
void serve_requests(ServerCore& core, Stream& stream, int fd) {
  boost::beast::flat_buffer buffer;  // outlives each request: it may hold the next one
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxRequestBody);
    boost::system::error_code error;
    http::read(stream, buffer, parser, error);
    if (error) return;
    http::request<http::string_body>& message = parser.get();
    const bool keep_alive = message.keep_alive();
    const HttpRequest request{std::string(message.method_string()), std::string(message.target()),
                              std::string(message[http::field::authorization]),
                              std::string(message[http::field::content_type]),
                              std::move(message.body())};
    if (!wait_while_hanging(core)) return;
    const Reply reply = route_request(core, request, fd);
    if (reply.watch) {
      const WatchEnd end = serve_watch(
          core, reply.watch, [&](std::string_view bytes) { return write_all(stream, bytes); });
      if (end == WatchEnd::kClosed) return;
    } else if (!write_all(stream, response_bytes(reply, keep_alive))) {
      return;
    }
    if (!keep_alive) return;
  }
}

}  // namespace

void run_connection(ServerCore& core, uint64_t id, tcp::socket socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // each watch event leaves at once
  const int fd = socket.native_handle();
  if (core.tls) {
    asio::ssl::stream<tcp::socket&> stream(socket, *core.tls);
    boost::system::error_code error;
    stream.handshake(asio::ssl::stream_base::server, error);
    // No TLS close_notify on the way out: closing the socket is the abrupt end that faults
    // and stop() want, and a client that hung up first is gone anyway.
    if (!error) serve_requests(core, stream, fd);
  } else {
    serve_requests(core, socket, fd);
  }
  {
    const std::lock_guard lock(core.mutex);
    core.connection_fds.erase(id);
    core.finished_connections.push_back(id);
  }
  socket.close(ignored);
}

}  // namespace portico::testing
