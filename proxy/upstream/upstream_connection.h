#pragma once
// One keep-alive connection to an endpoint, with its own read buffer so a response can be
// parsed in place.
#include <chrono>
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/net/flat_buffer.h"
#include "proxy/net/tcp_stream.h"
#include "proxy/snapshot/endpoint_state.h"

namespace portico::proxy {

// Worker thread only.
struct UpstreamConnection {
  UpstreamConnection(TcpStream::Socket socket, const boost::asio::ip::tcp::endpoint& to,
                     std::size_t buffer_size)
      : stream(std::move(socket)), endpoint(to), buffer(buffer_size) {}
  // The read buffer comes from (and returns to) the worker's pool.
  UpstreamConnection(TcpStream::Socket socket, const boost::asio::ip::tcp::endpoint& to,
                     BufferPool& buffers)
      : stream(std::move(socket)), endpoint(to), buffer(buffers) {}

  TcpStream stream;
  boost::asio::ip::tcp::endpoint endpoint;
  FlatBuffer buffer;
  std::chrono::steady_clock::time_point idle_since{};
  bool reused = false;  // served a request before: may have been closed by the peer meanwhile
  // Counts this connection in its backend's open connections (the circuit breaker's
  // max-connections) for as long as it exists, pooled or busy. A pooled connection later
  // taken for another backend of the same endpoint stays counted where it was opened.
  class BackendCount {
   public:
    BackendCount() = default;
    BackendCount(const BackendCount&) = delete;
    BackendCount& operator=(const BackendCount&) = delete;
    ~BackendCount() {
      if (state_) state_->connections.fetch_sub(1, std::memory_order_relaxed);
    }
    void hold(std::shared_ptr<BackendState> state) {
      state_ = std::move(state);
      if (state_) state_->connections.fetch_add(1, std::memory_order_relaxed);
    }

   private:
    std::shared_ptr<BackendState> state_;  // keeps the counter alive past its snapshot
  };
  BackendCount counted_for;
};

}  // namespace portico::proxy
