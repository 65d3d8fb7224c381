#pragma once
// One keep-alive connection to an endpoint, with its own read buffer so a response can be
// parsed in place.
#include <chrono>
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/net/flat_buffer.h"
#include "proxy/net/tcp_stream.h"

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
};

}  // namespace portico::proxy
