#pragma once
// The byte stream a session talks through. Sessions are templates over this shape, so a TLS
// stream (later issue) slots in by offering the same five members; nothing in a session
// touches a raw socket.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace portico::proxy {

// Worker thread only, like the socket it wraps.
class TcpStream {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  explicit TcpStream(Socket socket) : socket_(std::move(socket)) {}

  template <typename MutableBuffer>
  auto read_some(const MutableBuffer& buffer, boost::system::error_code& ec) {
    return socket_.async_read_some(buffer,
                                   boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

  template <typename ConstBuffers>
  auto write_all(const ConstBuffers& buffers, boost::system::error_code& ec) {
    return boost::asio::async_write(socket_, buffers,
                                    boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

  // Half-close: tells the peer no more bytes follow (tunnels, end of a close-delimited body).
  void shutdown_send() {
    boost::system::error_code ignored;
    socket_.shutdown(Socket::shutdown_send, ignored);
  }

  // Makes pending operations complete with operation_aborted (timeouts, drain).
  void cancel() {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  bool is_open() const { return socket_.is_open(); }
  Socket& socket() { return socket_; }

 private:
  Socket socket_;
};

}  // namespace portico::proxy
