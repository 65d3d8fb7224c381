#include "proxy/upstream/connection_pool.h"

#include <sys/socket.h>

#include <functional>

namespace portico::proxy {
namespace {

// True when the peer has not closed the connection and sent nothing unexpected. An idle
// keep-alive connection must be silent: EOF means the peer closed it, and stray bytes
// would be mistaken for the next response.
bool still_usable(UpstreamConnection& connection) {
  char byte;
  const auto fd = connection.stream.socket().native_handle();
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::size_t EndpointHash::operator()(
    const boost::asio::ip::tcp::endpoint& endpoint) const noexcept {
  std::size_t seed = std::hash<unsigned short>{}(endpoint.port());
  const auto address = endpoint.address();
  if (address.is_v4()) {
    seed ^= std::hash<uint32_t>{}(address.to_v4().to_uint()) + 0x9e3779b97f4a7c15ULL + (seed << 6);
  } else {
    for (unsigned char byte : address.to_v6().to_bytes()) {
      seed ^= byte + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    }
  }
  return seed;
}

std::unique_ptr<UpstreamConnection> ConnectionPool::take(
    const boost::asio::ip::tcp::endpoint& endpoint) {
  auto it = idle_.find(endpoint);
  if (it == idle_.end()) return nullptr;
  auto& connections = it->second;
  while (!connections.empty()) {
    std::unique_ptr<UpstreamConnection> connection = std::move(connections.back());
    connections.pop_back();
    if (still_usable(*connection)) return connection;
    connection->stream.close();
  }
  return nullptr;
}

void ConnectionPool::give_back(std::unique_ptr<UpstreamConnection> connection) {
  auto& connections = idle_[connection->endpoint];
  if (connections.size() >= max_idle_per_endpoint_) {
    connection->stream.close();
    return;
  }
  connection->idle_since = std::chrono::steady_clock::now();
  connection->reused = true;
  connection->buffer.clear();
  connections.push_back(std::move(connection));
}

void ConnectionPool::close_expired(std::chrono::steady_clock::time_point now) {
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& connections = it->second;
    std::erase_if(connections, [&](std::unique_ptr<UpstreamConnection>& connection) {
      if (now - connection->idle_since < idle_timeout_) return false;
      connection->stream.close();
      return true;
    });
    it = connections.empty() ? idle_.erase(it) : std::next(it);
  }
}

void ConnectionPool::close_all() {
  for (auto& [endpoint, connections] : idle_) {
    for (auto& connection : connections) connection->stream.close();
  }
  idle_.clear();
}

std::size_t ConnectionPool::idle_count() const {
  std::size_t count = 0;
  for (const auto& [endpoint, connections] : idle_) count += connections.size();
  return count;
}

}  // namespace portico::proxy
