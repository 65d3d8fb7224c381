// scrape_queue_depth() against a real HTTP server on the loopback playing a Portico replica.
#include <gtest/gtest.h>

#include <memory>

#include "autoscaler/sources/peer_queue_depth.h"
#include "tests/unit/autoscaler/sources/canned_http_server.h"
#include "tests/unit/autoscaler/sources/source_test_support.h"

namespace portico::autoscaler {
namespace {

using std::chrono::milliseconds;
using test::CannedHttpServer;
using test::CannedServerOptions;
using test::contains;
using test::kSlack;
using Clock = std::chrono::steady_clock;
using Depth = std::map<std::string, int64_t>;

constexpr char kExposition[] =
    "# HELP portico_held_requests Requests held while a Service has no ready endpoint\n"
    "# TYPE portico_held_requests gauge\n"
    "portico_held_requests{namespace=\"shop\",service=\"web\"} 3\n"
    "# HELP portico_service_requests_in_flight Requests in flight to a Service\n"
    "# TYPE portico_service_requests_in_flight gauge\n"
    "portico_service_requests_in_flight{namespace=\"shop\",service=\"web\"} 6\n"
    "# TYPE portico_service_arrivals_total counter\n"
    "portico_service_arrivals_total{namespace=\"shop\",service=\"web\"} 1234\n";

std::string metrics_url(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/metrics";
}

TEST(ScrapeQueueDepth, ReadsThePeersMetricsEndpoint) {
  CannedHttpServer server(
      test::http_response(200, "text/plain; version=0.0.4; charset=utf-8", kExposition));
  const Result<PeerLoad> got = scrape_queue_depth("127.0.0.1", server.port(), milliseconds(5000));
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value().queue_depth, (Depth{{"shop/web", 9}}));
  EXPECT_EQ(got.value().arrivals, (Depth{{"shop/web", 1234}}));
  ASSERT_EQ(server.request_heads().size(), 1u);
  const std::string head = server.request_heads()[0];
  EXPECT_EQ(head.rfind("GET /metrics HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_EQ(test::header_value(head, "Accept"), "text/plain;version=0.0.4") << head;
}

TEST(ScrapeQueueDepth, BracketsABareIpv6Host) {
  std::unique_ptr<CannedHttpServer> server;
  try {
    server = std::make_unique<CannedHttpServer>(test::http_response(200, "text/plain", kExposition),
                                                CannedServerOptions{.address = "::1"});
  } catch (const std::exception& error) {
    GTEST_SKIP() << "no IPv6 loopback: " << error.what();
  }
  for (const char* host : {"::1", "[::1]"}) {
    SCOPED_TRACE(host);
    const Result<PeerLoad> got = scrape_queue_depth(host, server->port(), milliseconds(5000));
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(got.value().queue_depth, (Depth{{"shop/web", 9}}));
  }
}

TEST(ScrapeQueueDepth, ReportsANon2xxStatusWithAnExcerpt) {
  CannedHttpServer server(test::http_response(503, "text/plain", "shutting down\n"));
  const Result<PeerLoad> got = scrape_queue_depth("127.0.0.1", server.port(), milliseconds(5000));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "GET " + metrics_url(server.port()) + ": HTTP 503: shutting down?");
}

TEST(ScrapeQueueDepth, NamesTheUrlAndLineOfAMalformedExposition) {
  CannedHttpServer server(test::http_response(
      200, "text/plain", "portico_held_requests{namespace=\"shop\",service=\"web\"} 1.5\n"));
  const Result<PeerLoad> got = scrape_queue_depth("127.0.0.1", server.port(), milliseconds(5000));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "GET " + metrics_url(server.port()) +
                             ": line 1 (portico_held_requests): value 1.5 is not a whole, "
                             "non-negative count");
}

TEST(ScrapeQueueDepth, RefusesAnExpositionOverTheLimit) {
  CannedHttpServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kMaxExpositionBytes + 1) + "\r\n\r\n",
      CannedServerOptions{.hold_open = true});
  const Result<PeerLoad> got = scrape_queue_depth("127.0.0.1", server.port(), milliseconds(10000));
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(contains(got.error(), "the response body exceeds 16777216 bytes")) << got.error();
}

TEST(ScrapeQueueDepth, FailsFastWhenTheConnectionIsRefused) {
  const uint16_t port = test::refused_port();
  const Clock::time_point start = Clock::now();
  const Result<PeerLoad> got = scrape_queue_depth("127.0.0.1", port, milliseconds(10000));
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(contains(got.error(), "GET " + metrics_url(port) + ": no response")) << got.error();
  EXPECT_LT(Clock::now() - start, kSlack);
}

TEST(ScrapeQueueDepth, FailsWithinTheTimeoutWhenThePeerNeverAnswers) {
  CannedHttpServer server("", CannedServerOptions{.hold_open = true});
  const milliseconds timeout(300);
  const Clock::time_point start = Clock::now();
  const Result<PeerLoad> got = scrape_queue_depth("127.0.0.1", server.port(), timeout);
  const Clock::duration took = Clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(),
            "GET " + metrics_url(server.port()) + ": no complete response within 300ms");
  EXPECT_EQ(server.request_heads().size(), 1u);
  EXPECT_LT(took, timeout + kSlack);
}

}  // namespace
}  // namespace portico::autoscaler
