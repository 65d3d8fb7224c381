#pragma once
// One accepted connection of the fake API server, served on its own thread with blocking
// I/O: the TLS handshake when the server has TLS, then HTTP/1.1 requests (keep-alive) until
// the client closes, a fault or stop() shuts the socket down, or a watch ends it.
#include <cstdint>

#include <boost/asio/ip/tcp.hpp>

#include "tests/fakes/fake_api_server/server_core.h"

namespace portico::testing {

// The body of connection thread `id`. Before returning, unregisters the connection from
// core.connection_fds (so nobody shuts its fd down once closed) and lists itself in
// core.finished_connections for joining.
void run_connection(ServerCore& core, uint64_t id, boost::asio::ip::tcp::socket socket);

}  // namespace portico::testing
