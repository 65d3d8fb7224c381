#include "tests/integration/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace portico::testing {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequal(key, name)) return value;
  }
  return "";
}

int HttpResponse::count(std::string_view name) const {
  return static_cast<int>(std::count_if(headers.begin(), headers.end(), [&](const auto& field) {
    return iequal(field.first, name);
  }));
}

RawConnection::RawConnection(const std::string& ip, uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect to " + ip + ":" + std::to_string(port) + " failed");
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void RawConnection::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

bool RawConnection::fill(std::chrono::steady_clock::time_point deadline) {
  pollfd waiting{fd_, POLLIN, 0};
  if (::poll(&waiting, 1, remaining_ms(deadline)) <= 0) return false;
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  pending_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<HttpResponse> RawConnection::read_response(std::chrono::milliseconds timeout,
                                                         bool head_request) {
  std::string body;
  auto response =
      read_response(timeout, head_request, [&body](std::string_view bytes) { body.append(bytes); });
  if (response) response->body = std::move(body);
  return response;
}

std::optional<HttpResponse> RawConnection::read_response(std::chrono::milliseconds timeout,
                                                         bool head_request, const BodySink& sink) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t head_end;
  while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(deadline)) return std::nullopt;
  }
  HttpResponse response;
  const std::string head = pending_.substr(0, head_end);
  pending_.erase(0, head_end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  response.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    response.headers.emplace_back(line.substr(0, colon), value);
  }
  const bool bodiless = head_request || response.status == 204 || response.status == 304 ||
                        (response.status >= 100 && response.status < 200);
  if (bodiless) return response;
  // Hands over up to `left` buffered body bytes, reading more when none are buffered.
  const auto deliver = [&](uint64_t& left) {
    if (pending_.empty() && !fill(deadline)) return false;
    const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(left, pending_.size()));
    sink(std::string_view(pending_).substr(0, n));
    pending_.erase(0, n);
    left -= n;
    return true;
  };
  if (iequal(response.header("Transfer-Encoding"), "chunked")) {
    for (;;) {
      std::size_t size_end;
      while ((size_end = pending_.find("\r\n")) == std::string::npos) {
        if (!fill(deadline)) return std::nullopt;
      }
      uint64_t size = std::stoull(pending_.substr(0, size_end), nullptr, 16);
      pending_.erase(0, size_end + 2);
      if (size == 0) {
        std::size_t trailer_end;
        while ((trailer_end = pending_.find("\r\n")) != 0) {
          if (trailer_end == std::string::npos) {
            if (!fill(deadline)) return std::nullopt;
          } else {
            pending_.erase(0, trailer_end + 2);
          }
        }
        pending_.erase(0, 2);
        return response;
      }
      while (size > 0) {
        if (!deliver(size)) return std::nullopt;
      }
      while (pending_.size() < 2) {
        if (!fill(deadline)) return std::nullopt;
      }
      if (pending_.compare(0, 2, "\r\n") != 0) return std::nullopt;
      pending_.erase(0, 2);
    }
  }
  const std::string length = response.header("Content-Length");
  if (!length.empty()) {
    uint64_t left = std::stoull(length);
    while (left > 0) {
      if (!deliver(left)) return std::nullopt;
    }
    return response;
  }
  uint64_t unlimited = UINT64_MAX;
  while (deliver(unlimited)) {
  }
  return response;
}

std::string RawConnection::read_some(std::chrono::milliseconds timeout, std::size_t max) {
  if (pending_.empty() && !fill(std::chrono::steady_clock::now() + timeout)) return "";
  const std::string out = pending_.substr(0, max);
  pending_.erase(0, out.size());
  return out;
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    pollfd waiting{fd_, POLLIN, 0};
    if (::poll(&waiting, 1, remaining_ms(deadline)) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

std::optional<HttpResponse> http_request(
    uint16_t port, std::string_view method, std::string_view path, std::string_view host,
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body,
    std::chrono::milliseconds timeout) {
  RawConnection connection("127.0.0.1", port);
  std::string request;
  request.append(method)
      .append(" ")
      .append(path)
      .append(" HTTP/1.1\r\nHost: ")
      .append(host)
      .append("\r\n");
  for (const auto& [name, value] : headers)
    request.append(name).append(": ").append(value).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);
  if (!connection.send(request)) return std::nullopt;
  return connection.read_response(timeout, method == "HEAD");
}

}  // namespace portico::testing
