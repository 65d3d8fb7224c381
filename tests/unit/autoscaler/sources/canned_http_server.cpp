#include "tests/unit/autoscaler/sources/canned_http_server.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace portico::autoscaler::test {

namespace asio = boost::asio;
using asio::ip::tcp;

CannedHttpServer::CannedHttpServer(std::vector<std::string> pieces, CannedServerOptions options)
    : pieces_(std::move(pieces)),
      options_(std::move(options)),
      acceptor_(context_, tcp::endpoint(asio::ip::make_address(options_.address), 0)),
      port_(acceptor_.local_endpoint().port()) {
  asio::co_spawn(context_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { context_.run(); });
}

CannedHttpServer::~CannedHttpServer() {
  context_.stop();
  thread_.join();
}

std::vector<std::string> CannedHttpServer::request_heads() const {
  std::lock_guard lock(mutex_);
  return heads_;
}

asio::awaitable<void> CannedHttpServer::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    asio::co_spawn(context_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> CannedHttpServer::serve(tcp::socket socket) {
  boost::system::error_code ec;
  std::string received;
  std::array<char, 4096> chunk;
  std::size_t head_end = std::string::npos;
  while (head_end == std::string::npos) {
    const std::size_t got = co_await socket.async_read_some(
        asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    received.append(chunk.data(), got);
    head_end = received.find("\r\n\r\n");
  }
  {
    std::lock_guard lock(mutex_);
    heads_.push_back(received.substr(0, head_end + 4));
  }
  asio::steady_timer timer(context_);
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    if (i > 0 && options_.pause.count() > 0) {
      timer.expires_after(options_.pause);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_await asio::async_write(socket, asio::buffer(pieces_[i]),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
  if (!options_.hold_open) {
    socket.shutdown(tcp::socket::shutdown_both, ec);
    co_return;
  }
  for (;;) {  // until the client closes
    co_await socket.async_read_some(asio::buffer(chunk),
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

std::string http_response(int status, std::string_view content_type, std::string_view body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " Canned\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         std::string(body);
}

uint16_t refused_port() {
  asio::io_context context;
  tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();  // closed on return
}

std::string header_value(std::string_view request_head, std::string_view name) {
  const auto same_letters = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  std::string_view rest =
      request_head.substr(std::min(request_head.find("\r\n"), request_head.size()));
  while (!rest.empty()) {
    rest.remove_prefix(std::min<std::size_t>(2, rest.size()));
    const std::string_view line = rest.substr(0, rest.find("\r\n"));
    rest.remove_prefix(line.size());
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon != name.size() ||
        !std::equal(name.begin(), name.end(), line.begin(), same_letters)) {
      continue;
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return std::string(value);
  }
  return {};
}

std::string query_parameter(std::string_view request_head, std::string_view name) {
  const std::string_view target = request_head.substr(0, request_head.find(" HTTP/"));
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {};
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(pair.size() + 1, query.size()));
    if (pair.substr(0, pair.find('=')) != name) continue;
    const std::string_view encoded = pair.substr(std::min(name.size() + 1, pair.size()));
    std::string value;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
      if (encoded[i] == '+') {
        value += ' ';
      } else if (encoded[i] == '%' && i + 2 < encoded.size()) {
        value += static_cast<char>(std::stoi(std::string(encoded.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        value += encoded[i];
      }
    }
    return value;
  }
  return {};
}

}  // namespace portico::autoscaler::test
