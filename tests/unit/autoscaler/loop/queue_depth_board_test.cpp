// Queue depth over every Portico replica: this one's counters read in process plus a peer's
// exported gauges scraped over HTTP, with the replica itself left out of its peers.
#include "autoscaler/loop/queue_depth_board.h"

#include <thread>

#include <gtest/gtest.h>

#include "tests/unit/autoscaler/sources/canned_http_server.h"
#include "tests/unit/controller/controller_test_support.h"

namespace portico::autoscaler {
namespace {

using test::CannedHttpServer;
using test::CannedServerOptions;
using test::http_response;

constexpr char kPeerMetrics[] =
    "# TYPE portico_service_requests_in_flight gauge\n"
    "portico_service_requests_in_flight{namespace=\"shop\",service=\"web\"} 3\n"
    "portico_service_requests_in_flight{namespace=\"shop\",service=\"cart\"} 7\n"
    "# TYPE portico_held_requests gauge\n"
    "portico_held_requests{namespace=\"shop\",service=\"web\"} 1\n"
    "# TYPE portico_service_arrivals_total counter\n"
    "portico_service_arrivals_total{namespace=\"shop\",service=\"web\"} 60\n";

// Portico's own Service with endpoints at `addresses`, ready unless listed in `not_ready`.
controller::StoreContents portico_endpoints(const std::vector<std::string>& addresses) {
  std::vector<std::string> endpoints;
  for (const std::string& address : addresses) {
    endpoints.push_back("{addresses: [" + address + "], conditions: {ready: true}}");
  }
  endpoints.push_back("{addresses: [127.0.0.8], conditions: {ready: false}}");
  return controller::test_support::contents_from_yaml(controller::test_support::slice_yaml(
      "infra", "portico-1", "portico", "metrics", 9090, endpoints));
}

// A peer at 127.0.0.2 exporting kPeerMetrics; this replica is 127.0.0.9.
class QueueDepthBoardTest : public ::testing::Test {
 protected:
  QueueDepthBoardTest() { board_.track({"shop/web"}); }

  // The figures arrive from the scraper's thread: refreshed until shop/web counts a peer.
  void refresh_until_a_peer_is_read(const controller::StoreContents& contents) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    board_.refresh_peers(contents, std::chrono::steady_clock::now());
    while (board_.load("shop/web").peers.empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      board_.refresh_peers(contents, std::chrono::steady_clock::now());
    }
  }

  CannedHttpServer peer_{http_response(200, "text/plain; version=0.0.4", kPeerMetrics),
                         CannedServerOptions{"127.0.0.2"}};
  proxy::EndpointStateRegistry registry_;
  QueueDepthBoard board_{registry_,
                         PeerOptions{"infra/portico", peer_.port(), "127.0.0.9",
                                     std::chrono::milliseconds(2000), std::chrono::seconds(5)}};
};

TEST_F(QueueDepthBoardTest, SumsThisReplicasCountersAndEachPeersGauges) {
  const std::shared_ptr<proxy::BackendState> local = registry_.acquire_backend("shop/web");
  local->requests = 2;
  local->pending = 1;
  local->held = 1;
  local->arrivals = 40;

  board_.start();
  refresh_until_a_peer_is_read(portico_endpoints({"127.0.0.2", "127.0.0.9"}));
  EXPECT_EQ(board_.load("shop/web").in_flight, 2 + 1 + 1 + 3 + 1);
  EXPECT_EQ(board_.load("shop/web").arrivals, 40 + 60);
  EXPECT_EQ(board_.load("shop/web").peers, std::vector<std::string>{"127.0.0.2"});
  EXPECT_EQ(board_.load("shop/cart").arrivals, std::nullopt)
      << "the peer exports none for cart: the sum over replicas is unknown";
  for (const std::string& head : peer_.request_heads()) {
    EXPECT_NE(head.find("GET /metrics"), std::string::npos) << head;
  }

  // A replica that leaves the Service no longer counts.
  board_.refresh_peers(portico_endpoints({"127.0.0.9"}), std::chrono::steady_clock::now());
  EXPECT_EQ(board_.load("shop/web").in_flight, 4) << "the peer left the Service";
  EXPECT_EQ(board_.load("shop/web").arrivals, 40);
  EXPECT_TRUE(board_.load("shop/web").peers.empty());
}

TEST_F(QueueDepthBoardTest, APeerNotReadForTooLongCountsAsGone) {
  board_.start();
  const controller::StoreContents contents = portico_endpoints({"127.0.0.2"});
  refresh_until_a_peer_is_read(contents);
  ASSERT_EQ(board_.load("shop/web").in_flight, 3 + 1);
  board_.stop();  // no more scrapes: the last figures age
  board_.refresh_peers(contents, std::chrono::steady_clock::now() + std::chrono::seconds(6));
  EXPECT_EQ(board_.load("shop/web").in_flight, 0);
  EXPECT_TRUE(board_.load("shop/web").peers.empty());
}

TEST_F(QueueDepthBoardTest, PeersAreTheReadyEndpointsOtherThanItself) {
  EXPECT_EQ(QueueDepthBoard::peer_addresses(portico_endpoints({"10.0.0.2", "10.0.0.1"}),
                                            "infra/portico", "10.0.0.1"),
            (std::vector<std::string>{"10.0.0.2"}));
  EXPECT_TRUE(
      QueueDepthBoard::peer_addresses(portico_endpoints({"10.0.0.2"}), "infra/other", "").empty());
}

}  // namespace
}  // namespace portico::autoscaler
