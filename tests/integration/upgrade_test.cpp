// Connection upgrades (WebSocket): portico relays the 101 and then becomes a byte tunnel
// between client and backend until one side ends it.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/process_probe.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

// The sample handshake of RFC 6455 section 1.3.
constexpr const char* kUpgradeRequest =
    "GET /chat HTTP/1.1\r\nHost: demo.local\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
constexpr const char* kExpectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Reads exactly `size` bytes from a tunnel; fewer when it closes or stalls for 5 s.
std::string read_exactly(RawConnection& connection, std::size_t size) {
  std::string out;
  while (out.size() < size) {
    const std::string more = connection.read_some(5s, size - out.size());
    if (more.empty()) break;
    out += more;
  }
  return out;
}

class UpgradeTest : public SiteTest {
 protected:
  void SetUp() override { start_site(); }

  // Opens a connection and completes the handshake through portico.
  std::unique_ptr<RawConnection> open_tunnel() {
    auto connection = std::make_unique<RawConnection>("127.0.0.1", portico_.http_port);
    EXPECT_TRUE(connection->send(kUpgradeRequest));
    const auto response = connection->read_response(10s);
    EXPECT_TRUE(response);
    if (!response) return nullptr;
    EXPECT_EQ(response->status, 101);
    EXPECT_EQ(lower(response->header("Upgrade")), "websocket");
    EXPECT_NE(lower(response->header("Connection")).find("upgrade"), std::string::npos);
    EXPECT_EQ(response->header("Sec-WebSocket-Accept"), kExpectedAccept);
    return response->status == 101 ? std::move(connection) : nullptr;
  }
};

TEST_F(UpgradeTest, TunnelsBytesBothWaysForManyRoundTrips) {
  auto tunnel = open_tunnel();
  ASSERT_TRUE(tunnel);
  for (int i = 0; i < 20; ++i) {
    const std::string message = "frame " + std::to_string(i) + " " + std::string(i * 37, 'x');
    ASSERT_TRUE(tunnel->send(message));
    EXPECT_EQ(read_exactly(*tunnel, message.size()), message) << "round trip " << i;
  }

  // A payload larger than the socket buffers, sent while the echo flows back, so both
  // directions are busy at once.
  std::string payload(4 << 20, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7 % 251);
  bool sent = false;
  std::thread writer([&] { sent = tunnel->send(payload); });
  const std::string echoed = read_exactly(*tunnel, payload.size());
  writer.join();
  EXPECT_TRUE(sent);
  EXPECT_EQ(echoed.size(), payload.size());
  EXPECT_TRUE(echoed == payload);
}

TEST_F(UpgradeTest, BytesSentRightBehindTheHandshakeAreDelivered) {
  // A client may start speaking the new protocol without waiting for the 101.
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send(std::string(kUpgradeRequest) + "early bytes"));
  const auto response = connection.read_response(10s);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 101);
  EXPECT_EQ(read_exactly(connection, 11), "early bytes");
}

TEST_F(UpgradeTest, ClientHalfCloseEndsTheTunnel) {
  auto tunnel = open_tunnel();
  ASSERT_TRUE(tunnel);
  ASSERT_TRUE(tunnel->send("last words"));
  EXPECT_EQ(read_exactly(*tunnel, 10), "last words");
  // The backend sees end of stream, closes, and portico closes our side in turn.
  tunnel->shutdown_write();
  EXPECT_TRUE(tunnel->wait_closed(5s));
}

TEST_F(UpgradeTest, UpgradeAfterOrdinaryRequestsOnTheSameConnection) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send("GET /first HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto first = connection.read_response(5s);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  ASSERT_TRUE(connection.send(kUpgradeRequest));
  const auto upgraded = connection.read_response(5s);
  ASSERT_TRUE(upgraded);
  ASSERT_EQ(upgraded->status, 101);
  ASSERT_TRUE(connection.send("after upgrade"));
  EXPECT_EQ(read_exactly(connection, 13), "after upgrade");
}

TEST_F(UpgradeTest, TunnelledUpstreamConnectionIsNeverReusedForRequests) {
  for (int round = 0; round < 3; ++round) {
    auto tunnel = open_tunnel();
    ASSERT_TRUE(tunnel);
    ASSERT_TRUE(tunnel->send("x"));
    EXPECT_EQ(read_exactly(*tunnel, 1), "x");
    tunnel->shutdown_write();
    EXPECT_TRUE(tunnel->wait_closed(5s));
  }
  // A tunnel's upstream connection back in the pool would echo these requests verbatim.
  for (int i = 0; i < 6; ++i) {
    const auto response = get("/plain");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(json_field(response->body, "target"), "/plain") << response->body;
  }
}

TEST_F(UpgradeTest, ClosingTheClientReleasesBothSidesOfTheTunnel) {
  const pid_t pid = portico_.process->pid();
  const std::size_t descriptors_before = open_descriptors(pid);
  {
    auto tunnel = open_tunnel();
    ASSERT_TRUE(tunnel);
    ASSERT_TRUE(tunnel->send("ping"));
    EXPECT_EQ(read_exactly(*tunnel, 4), "ping");
    EXPECT_EQ(scraped_value(portico_.metrics_port, "portico_active_connections"), 1);
    // The client socket at least: the upstream side may be a pooled keep-alive connection.
    EXPECT_GE(open_descriptors(pid), descriptors_before + 1);
  }
  EXPECT_TRUE(eventually(
      [&] { return scraped_value(portico_.metrics_port, "portico_active_connections") == 0; }));
  EXPECT_TRUE(eventually([&] { return open_descriptors(pid) <= descriptors_before; }))
      << open_descriptors(pid) << " descriptors open, " << descriptors_before << " before";
}

}  // namespace
}  // namespace portico::testing
