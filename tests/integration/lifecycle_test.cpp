// Process lifecycle: a graceful SIGTERM drain, and no descriptor leak from failed requests.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/process_probe.h"
#include "tests/integration/support/refusing_endpoint.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

bool accepts_connections(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

class LifecycleTest : public SiteTest {};

TEST_F(LifecycleTest, SigtermDrainsTheRequestInFlightThenExitsZero) {
  start_site({"--drain-timeout", "5s"});
  RawConnection in_flight("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(in_flight.send("GET /delay/1000 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  ASSERT_TRUE(eventually(
      [&] {
        return scraped_value(portico_.metrics_port, "portico_inflight_requests",
                             {{"service", "web"}}) == 1;
      },
      1s));

  const auto signalled = std::chrono::steady_clock::now();
  portico_.process->signal(SIGTERM);
  EXPECT_TRUE(eventually([&] { return !accepts_connections(portico_.http_port); }, 2s))
      << "still accepting new connections while draining";

  const auto response = in_flight.read_response(5s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json_field(response->body, "target"), "/delay/1000");

  const auto status = portico_.process->wait_exit(6s);
  ASSERT_TRUE(status) << "did not exit within the drain timeout";
  EXPECT_EQ(*status, 0);
  // Drained, not cut: it waited for the request rather than for the drain timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 4s);
}

TEST_F(LifecycleTest, SigtermClosesIdleConnectionsAndExitsPromptly) {
  start_site({"--drain-timeout", "20s"});
  RawConnection idle("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(idle.send("GET / HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  ASSERT_TRUE(idle.read_response(5s));

  portico_.process->signal(SIGTERM);
  // Nothing is in flight, so there is nothing to wait for: an idle keep-alive connection
  // must not hold the process for the whole drain timeout.
  EXPECT_TRUE(idle.wait_closed(5s));
  const auto status = portico_.process->wait_exit(5s);
  ASSERT_TRUE(status) << "still running 5 s after SIGTERM with only idle connections";
  EXPECT_EQ(*status, 0);
}

TEST_F(LifecycleTest, DrainTimeoutEndsRequestsThatOutlastIt) {
  start_site({"--drain-timeout", "500ms"});
  RawConnection slow("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(slow.send("GET /delay/20000 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  ASSERT_TRUE(eventually(
      [&] {
        return scraped_value(portico_.metrics_port, "portico_inflight_requests",
                             {{"service", "web"}}) == 1;
      },
      1s));

  portico_.process->signal(SIGTERM);
  const auto status = portico_.process->wait_exit(5s);
  ASSERT_TRUE(status) << "did not give up on the slow request after the drain timeout";
  EXPECT_EQ(*status, 0);
  EXPECT_TRUE(slow.wait_closed(2s));
}

TEST_F(LifecycleTest, FailedRequestsLeakNoDescriptors) {
  RefusingEndpoint refusing("127.0.0.4");
  manifests_.write("dead.yaml", service_yaml("demo", "dead", {&refusing.backend()}));
  start_site({}, {{kHost, "/dead", "Prefix", "dead"}});
  const pid_t pid = portico_.process->pid();
  const std::size_t start = open_descriptors(pid);
  ASSERT_GT(start, 0u);

  for (int i = 0; i < 200; ++i) {
    switch (i % 4) {
      case 0:
        EXPECT_EQ(status_of("/dead"), 502);
        break;
      case 1: {
        const auto response = http_request(portico_.http_port, "GET", "/", "unknown.local");
        EXPECT_TRUE(response && response->status == 404);
        break;
      }
      case 2: {
        RawConnection connection("127.0.0.1", portico_.http_port);
        ASSERT_TRUE(connection.send("GARBAGE\r\n\r\n"));
        const auto response = connection.read_response(5s);
        EXPECT_TRUE(response && response->status == 400);
        break;
      }
      default: {
        // A client that goes away mid-request.
        RawConnection connection("127.0.0.1", portico_.http_port);
        ASSERT_TRUE(
            connection.send("POST /upload HTTP/1.1\r\nHost: demo.local\r\n"
                            "Content-Length: 100\r\n\r\nabc"));
        break;
      }
    }
  }
  // Pooled upstream connections to `web` may stay open; a handful at most.
  EXPECT_TRUE(eventually([&] { return open_descriptors(pid) <= start + 4; }))
      << open_descriptors(pid) << " descriptors open, " << start << " at the start";
}

}  // namespace
}  // namespace portico::testing
