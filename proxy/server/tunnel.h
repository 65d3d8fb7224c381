#pragma once
// A bidirectional byte tunnel after "101 Switching Protocols" (WebSocket and any other
// Upgrade): bytes flow both ways unchanged until both sides have closed, or nothing moves
// for the idle timeout.
#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/net/deadline.h"
#include "proxy/net/flat_buffer.h"

namespace portico::proxy {
namespace tunnel_detail {

// Copies `from` to `to` until EOF or error, starting with what `from_buffer` already holds;
// then half-closes `to` so the peer sees the end too.
template <typename From, typename To>
boost::asio::awaitable<uint64_t> copy_until_eof(From& from, FlatBuffer& from_buffer, To& to,
                                                Deadline& deadline,
                                                Deadline::Clock::duration idle_timeout) {
  uint64_t copied = 0;
  for (;;) {
    boost::system::error_code ec;
    if (from_buffer.empty()) {
      const std::size_t n = co_await from.read_some(from_buffer.writable(), ec);
      if (ec || deadline.expired()) break;
      from_buffer.commit(n);
    }
    deadline.arm(idle_timeout);
    co_await to.write_all(boost::asio::buffer(from_buffer.readable()), ec);
    if (ec || deadline.expired()) break;
    copied += from_buffer.size();
    from_buffer.clear();
    deadline.arm(idle_timeout);
  }
  to.shutdown_send();
  co_return copied;
}

}  // namespace tunnel_detail

// Worker thread only. Returns the bytes sent from upstream to client. Both directions run
// as coroutines on the calling executor; this one waits for the other before returning, so
// the streams and buffers (owned by the caller) outlive both.
template <typename ClientStream, typename UpstreamStream>
boost::asio::awaitable<uint64_t> run_tunnel(ClientStream& client, FlatBuffer& client_buffer,
                                            UpstreamStream& upstream, FlatBuffer& upstream_buffer,
                                            Deadline& deadline,
                                            Deadline::Clock::duration idle_timeout) {
  auto executor = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer other_done(executor, boost::asio::steady_timer::time_point::max());
  bool downstream_finished = false;
  uint64_t downstream_bytes = 0;
  boost::asio::co_spawn(
      executor,
      [&]() -> boost::asio::awaitable<void> {
        downstream_bytes = co_await tunnel_detail::copy_until_eof(upstream, upstream_buffer, client,
                                                                  deadline, idle_timeout);
        downstream_finished = true;
        other_done.cancel();
      },
      boost::asio::detached);
  deadline.arm(idle_timeout);
  co_await tunnel_detail::copy_until_eof(client, client_buffer, upstream, deadline, idle_timeout);
  if (!downstream_finished) {
    boost::system::error_code ec;
    co_await other_done.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  co_return downstream_bytes;
}

}  // namespace portico::proxy
