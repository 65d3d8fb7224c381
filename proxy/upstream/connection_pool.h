#pragma once
// Per-worker pool of idle keep-alive connections, keyed by endpoint address (the identity
// that survives snapshot swaps: a new snapshot naming the same ip:port reuses the same
// connections).
#include <chrono>
#include <cstddef>
#include <memory>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/upstream/upstream_connection.h"

namespace portico::proxy {

struct EndpointHash {
  std::size_t operator()(const boost::asio::ip::tcp::endpoint& endpoint) const noexcept;
};

// Worker thread only; no locks.
class ConnectionPool {
 public:
  ConnectionPool(std::size_t max_idle_per_endpoint,
                 std::chrono::steady_clock::duration idle_timeout)
      : max_idle_per_endpoint_(max_idle_per_endpoint), idle_timeout_(idle_timeout) {}

  // An idle connection to `endpoint` that the peer has not closed, or null. Connections the
  // peer closed while idle are discarded here (a non-blocking peek sees the EOF).
  std::unique_ptr<UpstreamConnection> take(const boost::asio::ip::tcp::endpoint& endpoint);

  // Keeps a connection whose last exchange ended cleanly; closes it when the endpoint
  // already has max_idle_per_endpoint idle connections.
  void give_back(std::unique_ptr<UpstreamConnection> connection);

  // Closes connections idle longer than the idle timeout. Called from the worker's tick.
  void close_expired(std::chrono::steady_clock::time_point now);

  void close_all();
  std::size_t idle_count() const;

 private:
  std::size_t max_idle_per_endpoint_;
  std::chrono::steady_clock::duration idle_timeout_;
  std::unordered_map<boost::asio::ip::tcp::endpoint,
                     std::vector<std::unique_ptr<UpstreamConnection>>, EndpointHash>
      idle_;
};

}  // namespace portico::proxy
