#pragma once
// Entry point for one accepted client connection. The session itself (client_session.cpp)
// is a template over the stream type so that TLS can reuse it unchanged.
#include <boost/asio/ip/tcp.hpp>

namespace portico::proxy {

class Worker;

// Worker thread only: starts serving `socket`, connected from `peer`, on the worker's
// io_context.
void spawn_client_session(Worker& worker, boost::asio::ip::tcp::socket socket,
                          const boost::asio::ip::tcp::endpoint& peer);

}  // namespace portico::proxy
