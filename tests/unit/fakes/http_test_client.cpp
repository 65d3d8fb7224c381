#include "tests/unit/fakes/http_test_client.h"

#include <algorithm>
#include <cctype>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

namespace portico::testing {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

HttpTestClient::HttpTestClient(uint16_t port, asio::ssl::context* tls) : socket_(io_) {
  socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port));
  if (tls == nullptr) return;
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls);
  tls_->set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  tls_->handshake(asio::ssl::stream_base::client);
}

void HttpTestClient::send(std::string_view method, std::string_view target, std::string_view body,
                          std::string_view headers) {
  std::string out = std::string(method) + ' ' + std::string(target) + " HTTP/1.1\r\n";
  out += "Host: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  if (!headers.empty()) (out += headers) += "\r\n";
  (out += "\r\n") += body;
  if (tls_) {
    asio::write(*tls_, asio::buffer(out));
  } else {
    asio::write(socket_, asio::buffer(out));
  }
}

TestResponse HttpTestClient::request(std::string_view method, std::string_view target,
                                     std::string_view body, std::string_view headers) {
  send(method, target, body, headers);
  return receive();
}

TestResponse HttpTestClient::receive_head(Duration timeout) {
  Fill failure = Fill::kOk;
  const std::optional<std::string> head = read_until("\r\n\r\n", Clock::now() + timeout, failure);
  TestResponse response;
  if (!head) return response;
  std::size_t line_end = head->find("\r\n");
  response.status = std::stoi(head->substr(9, 3));  // "HTTP/1.1 200 OK"
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head->find("\r\n", start);
    const std::string line = head->substr(start, line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::size_t value = line.find_first_not_of(' ', colon + 1);
    response.headers[lowercase(line.substr(0, colon))] =
        value == std::string::npos ? "" : line.substr(value);
  }
  return response;
}

TestResponse HttpTestClient::receive(Duration timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  TestResponse response = receive_head(timeout);
  if (response.status == 0) return response;
  if (response.headers["transfer-encoding"] == "chunked") {
    while (true) {
      TestChunk chunk = next_chunk(std::chrono::duration_cast<Duration>(deadline - Clock::now()));
      if (chunk.kind == TestChunk::Kind::kLast) return response;
      if (chunk.kind != TestChunk::Kind::kData) return TestResponse{};
      response.body += chunk.data;
    }
  }
  Fill failure = Fill::kOk;
  const std::optional<std::string> body =
      read_exact(std::stoul(response.headers["content-length"]), deadline, failure);
  if (!body) return TestResponse{};
  response.body = *body;
  return response;
}

TestChunk HttpTestClient::next_chunk(Duration timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  Fill failure = Fill::kOk;
  const auto failed = [&] {
    return TestChunk{
        failure == Fill::kTimeout ? TestChunk::Kind::kTimeout : TestChunk::Kind::kClosed, {}};
  };
  const std::optional<std::string> size_line = read_until("\r\n", deadline, failure);
  if (!size_line) return failed();
  const std::size_t size = std::stoul(*size_line, nullptr, 16);
  std::optional<std::string> data = read_exact(size + 2, deadline, failure);  // with its CRLF
  if (!data) return failed();
  data->resize(size);
  return TestChunk{size == 0 ? TestChunk::Kind::kLast : TestChunk::Kind::kData, std::move(*data)};
}

HttpTestClient::Fill HttpTestClient::fill(Clock::time_point deadline) {
  char bytes[16384];
  boost::system::error_code error;
  std::size_t received = 0;
  bool done = false;
  const auto on_read = [&](const boost::system::error_code& result, std::size_t size) {
    error = result;
    received = size;
    done = true;
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(bytes), on_read);
  } else {
    socket_.async_read_some(asio::buffer(bytes), on_read);
  }
  io_.restart();
  io_.run_until(deadline);
  if (!done) {
    socket_.cancel();
    io_.restart();
    io_.run();  // the cancelled read's handler
    buffer_.append(bytes, received);
    return Fill::kTimeout;
  }
  buffer_.append(bytes, received);
  return error && received == 0 ? Fill::kClosed : Fill::kOk;
}

std::optional<std::string> HttpTestClient::read_until(std::string_view delimiter,
                                                      Clock::time_point deadline, Fill& failure) {
  std::size_t found;
  while ((found = buffer_.find(delimiter)) == std::string::npos) {
    failure = fill(deadline);
    if (failure != Fill::kOk) return std::nullopt;
  }
  std::string before = buffer_.substr(0, found);
  buffer_.erase(0, found + delimiter.size());
  return before;
}

std::optional<std::string> HttpTestClient::read_exact(std::size_t size, Clock::time_point deadline,
                                                      Fill& failure) {
  while (buffer_.size() < size) {
    failure = fill(deadline);
    if (failure != Fill::kOk) return std::nullopt;
  }
  std::string data = buffer_.substr(0, size);
  buffer_.erase(0, size);
  return data;
}

}  // namespace portico::testing
