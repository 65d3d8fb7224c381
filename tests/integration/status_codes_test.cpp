// The status codes portico answers itself when it cannot or will not forward a request, and
// what it does when the backend ends the connection.
#include <gtest/gtest.h>

#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/refusing_endpoint.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

class StatusCodesTest : public SiteTest {
 protected:
  void SetUp() override {
    manifests_.write("empty.yaml", service_yaml("demo", "empty", {}));
    manifests_.write("dead.yaml", service_yaml("demo", "dead", {&refusing_.backend()}));
    start_site({"--max-body-size", "1k"},
               {{kHost, "/empty", "Prefix", "empty"}, {kHost, "/dead", "Prefix", "dead"}});
  }

  RefusingEndpoint refusing_{"127.0.0.4"};
};

TEST_F(StatusCodesTest, ServiceWithoutReadyEndpointsGets503) {
  EXPECT_EQ(status_of("/empty"), 503);
  EXPECT_EQ(status_of("/empty/deeper"), 503);
  EXPECT_EQ(status_of("/"), 200);  // the other routes are unaffected
}

TEST_F(StatusCodesTest, RefusedUpstreamConnectionGets502AndIsCounted) {
  const double errors_before =
      scraped_value(portico_.metrics_port, "portico_upstream_connect_errors_total");
  ASSERT_GE(errors_before, 0) << "metric missing";
  EXPECT_EQ(status_of("/dead"), 502);
  EXPECT_EQ(status_of("/dead"), 502);
  EXPECT_GE(scraped_value(portico_.metrics_port, "portico_upstream_connect_errors_total"),
            errors_before + 2);
}

TEST_F(StatusCodesTest, BodyOverTheLimitGets413WithContentLength) {
  const auto small = send("POST", "/upload", {}, std::string(1024, 'x'));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);  // exactly the limit is allowed
  const auto large = send("POST", "/upload", {}, std::string(1025, 'x'));
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
}

TEST_F(StatusCodesTest, BodyOverTheLimitGets413WhenChunked) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  // 3 x 400 bytes: the limit is crossed only by the third chunk.
  std::string request =
      "POST /upload HTTP/1.1\r\nHost: demo.local\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "190\r\n" + std::string(400, 'x') + "\r\n";
  request += "0\r\n\r\n";
  ASSERT_TRUE(connection.send(request));
  const auto response = connection.read_response(10s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(connection.wait_closed(5s));
}

TEST_F(StatusCodesTest, ExpectContinueOverTheLimitGets413InsteadOfContinue) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(
      connection.send("POST /upload HTTP/1.1\r\nHost: demo.local\r\nExpect: 100-continue\r\n"
                      "Content-Length: 2048\r\n\r\n"));
  // The client has sent no body: the refusal must come without it.
  const auto response = connection.read_response(5s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_F(StatusCodesTest, RequestHeadOver16KiBGets431) {
  // Several ordinary headers rather than one huge one: the limit is on the whole head.
  std::vector<std::pair<std::string, std::string>> headers;
  for (int i = 0; i < 18; ++i) {
    headers.emplace_back("X-Filler-" + std::to_string(i), std::string(1000, 'v'));
  }
  const auto response = send("GET", "/", headers);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);

  headers.resize(14);  // ~14 KiB: under the limit, forwarded
  const auto fits = send("GET", "/", headers);
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
}

TEST_F(StatusCodesTest, BackendClosingAfterItsResponseStillDeliversIt) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send("GET /close HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto response = connection.read_response(10s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("\"target\":\"/close\""), std::string::npos) << response->body;
  // Connection: close is hop-by-hop: the client's own connection stays usable.
  ASSERT_TRUE(connection.send("GET /after HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto after = connection.read_response(10s);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  // And the pooled upstream connection the backend closed is not reused by mistake.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(status_of("/"), 200);
}

}  // namespace
}  // namespace portico::testing
