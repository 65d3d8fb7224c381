#include "proxy/admin/admin_server.h"

#include <prometheus/text_serializer.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"
#include "proxy/http/forwarding.h"
#include "proxy/http/head_parser.h"
#include "proxy/net/flat_buffer.h"

namespace portico::proxy {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t kMaxRequestHead = 8 * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(30);

std::string response(uint16_t status, std::string_view content_type, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += http::reason_phrase(status);
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

// One admin connection: requests in sequence until the client closes or idles out.
asio::awaitable<void> serve_admin_connection(const AdminServer& server, tcp::socket socket) {
  FlatBuffer buffer(kMaxRequestHead);
  http::RequestHead request;
  asio::steady_timer idle(socket.get_executor());
  for (;;) {
    std::size_t head_end = 0;
    std::size_t scanned = 0;
    while ((head_end = http::find_head_end(buffer.readable(), scanned)) == 0) {
      scanned = buffer.size();
      if (buffer.full()) co_return;
      idle.expires_after(kIdleTimeout);
      idle.async_wait([&socket](const boost::system::error_code& ec) {
        if (!ec) socket.cancel();
      });
      boost::system::error_code ec;
      const std::size_t n = co_await socket.async_read_some(
          buffer.writable(), asio::redirect_error(asio::use_awaitable, ec));
      idle.cancel();
      if (ec) co_return;
      buffer.commit(n);
    }
    const auto parsed = http::parse_request_head(buffer.readable().substr(0, head_end),
                                                 http::HeadLimits{kMaxRequestHead, 100}, request);
    std::string out;
    const bool ok = parsed.status == http::ParseStatus::kComplete &&
                    request.facts.framing == http::BodyFraming::kNone;
    if (ok) {
      out = server.respond(request.method, request.path);
    } else {
      http::write_error_response(
          parsed.status == http::ParseStatus::kComplete ? 400 : parsed.error_status, true, {}, out);
    }
    const bool close = !ok || request.facts.connection_close;
    buffer.consume(head_end);
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(out),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec || close) co_return;
  }
}

}  // namespace

AdminServer::AdminServer(std::vector<const prometheus::Collectable*> collectables,
                         std::function<Readiness()> readiness)
    : collectables_(std::move(collectables)), readiness_(std::move(readiness)) {}

AdminServer::~AdminServer() {
  stop();
}

Status AdminServer::start(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return Error{"invalid metrics address '" + address + "'"};
  const tcp::endpoint endpoint(ip, port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) {
    return Error{"cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message()};
  }
  accept_loop();
  thread_ = std::thread([this] { context_.run(); });
  return Ok{};
}

void AdminServer::stop() {
  if (!thread_.joinable()) return;
  context_.stop();
  thread_.join();
}

void AdminServer::accept_loop() {
  asio::co_spawn(
      context_,
      [this]() -> asio::awaitable<void> {
        for (;;) {
          boost::system::error_code ec;
          tcp::socket socket =
              co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
          if (ec) {
            if (!acceptor_.is_open()) co_return;
            continue;
          }
          asio::co_spawn(context_, serve_admin_connection(*this, std::move(socket)),
                         asio::detached);
        }
      },
      asio::detached);
}

std::string AdminServer::render_metrics() const {
  std::vector<prometheus::MetricFamily> families;
  for (const prometheus::Collectable* collectable : collectables_) {
    auto collected = collectable->Collect();
    families.insert(families.end(), std::make_move_iterator(collected.begin()),
                    std::make_move_iterator(collected.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

std::string AdminServer::respond(std::string_view method, std::string_view path) const {
  if (method != "GET" && method != "HEAD") {
    std::string refused = response(405, "text/plain", "method not allowed\n");
    refused.insert(refused.find("\r\n") + 2, "Allow: GET, HEAD\r\n");
    return refused;
  }
  std::string full = respond_to_get(path);
  // HEAD: the same head, Content-Length included, without the body.
  if (method == "HEAD") full.resize(full.find("\r\n\r\n") + 4);
  return full;
}

std::string AdminServer::respond_to_get(std::string_view path) const {
  if (path == "/metrics") {
    return response(200, "text/plain; version=0.0.4; charset=utf-8", render_metrics());
  }
  if (path == "/healthz") return response(200, "text/plain", "ok\n");
  if (path == "/readyz") {
    const Readiness readiness = readiness_();
    return response(readiness.ready ? 200 : 503, "text/plain", readiness.detail + "\n");
  }
  return response(404, "text/plain", "not found\n");
}

}  // namespace portico::proxy
