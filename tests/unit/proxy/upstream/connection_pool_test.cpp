#include "proxy/upstream/connection_pool.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace portico::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

constexpr std::size_t kBufferBytes = 256;

// A loopback listener standing in for an upstream endpoint; keeps the accepted sockets so
// the test decides when the "upstream" closes them.
class LoopbackUpstream {
 public:
  explicit LoopbackUpstream(asio::io_context& context)
      : acceptor_(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

  // A client connection to this upstream, as the proxy would hold it.
  std::unique_ptr<UpstreamConnection> connect(asio::io_context& context) {
    tcp::socket client(context);
    client.connect(endpoint());
    peers_.push_back(acceptor_.accept());
    return std::make_unique<UpstreamConnection>(std::move(client), endpoint(), kBufferBytes);
  }

  tcp::socket& peer(std::size_t i) { return peers_.at(i); }

  // True when the proxy side has closed connection `i`: the upstream reads EOF, or a reset
  // when the proxy side closed with unread bytes.
  bool peer_sees_close(std::size_t i) {
    pollfd fd{peers_.at(i).native_handle(), POLLIN, 0};
    if (::poll(&fd, 1, 5000) != 1) return false;
    char byte;
    boost::system::error_code ec;
    asio::read(peers_.at(i), asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  tcp::acceptor acceptor_;
  std::vector<tcp::socket> peers_;
};

// Blocks until `connection` has something to read (data or EOF) so the pool's non-blocking
// peek sees what the peer did.
void wait_readable(UpstreamConnection& connection) {
  pollfd fd{connection.stream.socket().native_handle(), POLLIN, 0};
  ASSERT_EQ(::poll(&fd, 1, 5000), 1);
}

class ConnectionPoolTest : public ::testing::Test {
 protected:
  asio::io_context context_;
  LoopbackUpstream upstream_{context_};
  LoopbackUpstream other_upstream_{context_};
  ConnectionPool pool_{/*max_idle_per_endpoint=*/2, /*idle_timeout=*/10s};
};

TEST_F(ConnectionPoolTest, EmptyPoolHasNothingToTake) {
  EXPECT_EQ(pool_.take(upstream_.endpoint()), nullptr);
  EXPECT_EQ(pool_.idle_count(), 0u);
}

TEST_F(ConnectionPoolTest, GiveBackThenTakeReturnsTheSameConnection) {
  auto connection = upstream_.connect(context_);
  const UpstreamConnection* given = connection.get();
  EXPECT_FALSE(connection->reused);
  pool_.give_back(std::move(connection));
  EXPECT_EQ(pool_.idle_count(), 1u);

  auto taken = pool_.take(upstream_.endpoint());
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(taken.get(), given);
  EXPECT_TRUE(taken->reused);
  EXPECT_TRUE(taken->stream.is_open());
  EXPECT_EQ(pool_.idle_count(), 0u);
  EXPECT_EQ(pool_.take(upstream_.endpoint()), nullptr);

  // Still the same live connection: bytes reach the upstream.
  asio::write(taken->stream.socket(), asio::buffer("x", 1));
  char byte = 0;
  asio::read(upstream_.peer(0), asio::buffer(&byte, 1));
  EXPECT_EQ(byte, 'x');
}

TEST_F(ConnectionPoolTest, GiveBackDropsLeftoverBufferedBytes) {
  auto connection = upstream_.connect(context_);
  connection->buffer.commit(10);
  pool_.give_back(std::move(connection));
  auto taken = pool_.take(upstream_.endpoint());
  ASSERT_NE(taken, nullptr);
  EXPECT_TRUE(taken->buffer.empty());
}

TEST_F(ConnectionPoolTest, ConnectionClosedByThePeerWhileIdleIsDiscarded) {
  auto connection = upstream_.connect(context_);
  UpstreamConnection& idle = *connection;
  pool_.give_back(std::move(connection));
  upstream_.peer(0).close();
  wait_readable(idle);

  EXPECT_EQ(pool_.take(upstream_.endpoint()), nullptr);
  EXPECT_EQ(pool_.idle_count(), 0u);
}

TEST_F(ConnectionPoolTest, ConnectionWithStrayBytesIsDiscarded) {
  auto connection = upstream_.connect(context_);
  UpstreamConnection& idle = *connection;
  pool_.give_back(std::move(connection));
  asio::write(upstream_.peer(0), asio::buffer("HTTP/1.1 200 OK\r\n", 17));
  wait_readable(idle);

  EXPECT_EQ(pool_.take(upstream_.endpoint()), nullptr);
  EXPECT_TRUE(upstream_.peer_sees_close(0));
}

TEST_F(ConnectionPoolTest, DeadConnectionIsSkippedForALiveOne) {
  auto live = upstream_.connect(context_);
  auto dead = upstream_.connect(context_);
  const UpstreamConnection* live_pointer = live.get();
  UpstreamConnection& dead_ref = *dead;
  pool_.give_back(std::move(live));
  pool_.give_back(std::move(dead));
  upstream_.peer(1).close();
  wait_readable(dead_ref);

  auto taken = pool_.take(upstream_.endpoint());
  EXPECT_EQ(taken.get(), live_pointer);
  EXPECT_EQ(pool_.idle_count(), 0u);
}

TEST_F(ConnectionPoolTest, IdleConnectionsPerEndpointAreBounded) {
  std::vector<const UpstreamConnection*> kept;
  for (int i = 0; i < 3; ++i) {
    auto connection = upstream_.connect(context_);
    if (i < 2) kept.push_back(connection.get());
    pool_.give_back(std::move(connection));
  }
  EXPECT_EQ(pool_.idle_count(), 2u);
  // The one beyond the bound was closed, not kept.
  EXPECT_TRUE(upstream_.peer_sees_close(2));

  std::vector<const UpstreamConnection*> taken_pointers;
  std::vector<std::unique_ptr<UpstreamConnection>> taken;
  for (int i = 0; i < 2; ++i) {
    taken.push_back(pool_.take(upstream_.endpoint()));
    ASSERT_NE(taken.back(), nullptr);
    taken_pointers.push_back(taken.back().get());
  }
  EXPECT_EQ(pool_.take(upstream_.endpoint()), nullptr);
  EXPECT_TRUE(std::is_permutation(kept.begin(), kept.end(), taken_pointers.begin()));
}

TEST_F(ConnectionPoolTest, BoundIsPerEndpoint) {
  for (int i = 0; i < 2; ++i) pool_.give_back(upstream_.connect(context_));
  for (int i = 0; i < 2; ++i) pool_.give_back(other_upstream_.connect(context_));
  EXPECT_EQ(pool_.idle_count(), 4u);
}

TEST_F(ConnectionPoolTest, EndpointsAreKeptApart) {
  auto first = upstream_.connect(context_);
  auto second = other_upstream_.connect(context_);
  const UpstreamConnection* first_pointer = first.get();
  const UpstreamConnection* second_pointer = second.get();
  pool_.give_back(std::move(first));
  pool_.give_back(std::move(second));

  auto from_other = pool_.take(other_upstream_.endpoint());
  ASSERT_NE(from_other, nullptr);
  EXPECT_EQ(from_other.get(), second_pointer);
  EXPECT_EQ(from_other->endpoint, other_upstream_.endpoint());
  EXPECT_EQ(pool_.take(other_upstream_.endpoint()), nullptr);

  auto from_first = pool_.take(upstream_.endpoint());
  EXPECT_EQ(from_first.get(), first_pointer);
}

TEST_F(ConnectionPoolTest, SameAddressOnAnotherPortIsAnotherEndpoint) {
  pool_.give_back(upstream_.connect(context_));
  const tcp::endpoint other_port(upstream_.endpoint().address(),
                                 static_cast<unsigned short>(upstream_.endpoint().port() + 1));
  EXPECT_EQ(pool_.take(other_port), nullptr);
  EXPECT_EQ(pool_.idle_count(), 1u);
}

TEST_F(ConnectionPoolTest, CloseExpiredDropsOnlyConnectionsIdleForTheTimeout) {
  auto older = upstream_.connect(context_);
  const UpstreamConnection& older_ref = *older;
  pool_.give_back(std::move(older));
  const auto older_since = older_ref.idle_since;
  // Make sure the next connection's idle time starts strictly later.
  while (std::chrono::steady_clock::now() <= older_since) {
  }
  auto newer = upstream_.connect(context_);
  const UpstreamConnection* newer_pointer = newer.get();
  pool_.give_back(std::move(newer));

  pool_.close_expired(older_since + 10s - 1ns);
  EXPECT_EQ(pool_.idle_count(), 2u);

  pool_.close_expired(older_since + 10s);
  EXPECT_EQ(pool_.idle_count(), 1u);
  EXPECT_TRUE(upstream_.peer_sees_close(0));
  EXPECT_EQ(pool_.take(upstream_.endpoint()).get(), newer_pointer);
}

TEST_F(ConnectionPoolTest, CloseExpiredCoversEveryEndpoint) {
  pool_.give_back(upstream_.connect(context_));
  pool_.give_back(other_upstream_.connect(context_));
  pool_.close_expired(std::chrono::steady_clock::now() + 1h);
  EXPECT_EQ(pool_.idle_count(), 0u);
  EXPECT_TRUE(upstream_.peer_sees_close(0));
  EXPECT_TRUE(other_upstream_.peer_sees_close(0));
  EXPECT_EQ(pool_.take(upstream_.endpoint()), nullptr);
}

TEST_F(ConnectionPoolTest, CloseAllClosesEveryConnection) {
  pool_.give_back(upstream_.connect(context_));
  pool_.give_back(other_upstream_.connect(context_));
  pool_.close_all();
  EXPECT_EQ(pool_.idle_count(), 0u);
  EXPECT_TRUE(upstream_.peer_sees_close(0));
  EXPECT_TRUE(other_upstream_.peer_sees_close(0));
}

}  // namespace
}  // namespace portico::proxy
