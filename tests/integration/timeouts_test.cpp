// Every timeout portico enforces, each provoked for real and timed: the tests sleep only in
// the sense that they wait for the timeout under test to fire.
#include <gtest/gtest.h>

#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Configured timeouts are short, so a test proves both that it fires and roughly when.
constexpr auto kUpstreamTimeout = 500ms;
constexpr auto kHeaderTimeout = 300ms;
constexpr auto kBodyTimeout = 300ms;
constexpr auto kIdleTimeout = 300ms;
constexpr auto kEarly = 100ms;  // timers may fire a little early on a coarse clock
constexpr auto kLate = 2500ms;  // generous for a loaded 2-core machine

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

class TimeoutsTest : public SiteTest {
 protected:
  void SetUp() override {
    start_site({"--upstream-timeout", "500ms", "--client-header-timeout", "300ms",
                "--client-body-timeout", "300ms", "--idle-timeout", "300ms"});
  }
};

TEST_F(TimeoutsTest, SilentUpstreamGets504AfterTheUpstreamTimeout) {
  const auto start = Clock::now();
  const auto response = http_request(portico_.http_port, "GET", "/hang", kHost, {}, {}, 10s);
  const auto took = since(start);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 504);
  EXPECT_GE(took, kUpstreamTimeout - kEarly);
  EXPECT_LT(took, kUpstreamTimeout + kLate);
}

TEST_F(TimeoutsTest, UpstreamSlowerThanTheTimeoutButActiveIsNotCut) {
  // The upstream timeout is about silence, and /delay/300 answers well within it.
  const auto response = http_request(portico_.http_port, "GET", "/delay/300", kHost);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(TimeoutsTest, HalfARequestHeadGets408ThenTheConnectionCloses) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  const auto start = Clock::now();
  ASSERT_TRUE(connection.send("GET / HTTP/1.1\r\nHost: demo.local\r\n"));  // no blank line
  const auto response = connection.read_response(5s);
  const auto took = since(start);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_GE(took, kHeaderTimeout - kEarly);
  EXPECT_LT(took, kHeaderTimeout + kLate);
  EXPECT_TRUE(connection.wait_closed(2s));
}

TEST_F(TimeoutsTest, StalledRequestBodyEndsTheConnection) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  const auto start = Clock::now();
  ASSERT_TRUE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: demo.local\r\nContent-Length: 100\r\n\r\nonly a part"));
  // If a response comes before the close, it must say the client was too slow.
  const auto response = connection.read_response(5s);
  if (response) {
    EXPECT_EQ(response->status, 408);
  }
  EXPECT_TRUE(connection.wait_closed(5s));
  EXPECT_GE(since(start), kBodyTimeout - kEarly);
  EXPECT_LT(since(start), kBodyTimeout + kLate);
}

TEST_F(TimeoutsTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send("GET / HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto response = connection.read_response(5s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  const auto idle_since = Clock::now();
  EXPECT_TRUE(connection.wait_closed(5s));
  EXPECT_GE(since(idle_since), kIdleTimeout - kEarly);
  EXPECT_LT(since(idle_since), kIdleTimeout + kLate);
}

TEST_F(TimeoutsTest, ActivityRestartsTheIdleTimeout) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  // Requests 200 ms apart: each gap is shorter than the idle timeout, the total is longer.
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(connection.send("GET / HTTP/1.1\r\nHost: demo.local\r\n\r\n")) << i;
    const auto response = connection.read_response(5s);
    ASSERT_TRUE(response) << "closed before request " << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_FALSE(connection.wait_closed(200ms)) << "closed although only 200 ms idle";
  }
}

}  // namespace
}  // namespace portico::testing
