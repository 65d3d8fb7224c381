// Manifest changes apply to the running process: new routes answer without a restart,
// connections and requests already under way are not disturbed, and a broken file is
// reported and ignored until it is fixed.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

class LiveConfigTest : public SiteTest {
 protected:
  void SetUp() override {
    api_ = start_backend("127.0.0.3", "api");
    manifests_.write("api.yaml", service_yaml("demo", "api", {&api_}));
    start_site();
  }

  // The backend that answered `path` on a fresh connection, or "status N".
  std::string served_by(const std::string& path) {
    const auto response = get(path);
    if (!response) return "no response";
    if (response->status != 200) return "status " + std::to_string(response->status);
    return json_field(response->body, "backend");
  }

  void route_api() {
    manifests_.write("ingress.yaml",
                     ingress_yaml("demo", "demo", site_rules({{kHost, "/api", "Prefix", "api"}})));
  }

  bool still_running() { return !portico_.process->wait_exit(0ms).has_value(); }

  Backend api_;
};

TEST_F(LiveConfigTest, NewRouteAnswersWithoutRestartAndKeepAliveSurvives) {
  const pid_t pid = portico_.process->pid();
  RawConnection kept("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(kept.send("GET /api/before HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto before = kept.read_response(5s);
  ASSERT_TRUE(before);
  EXPECT_EQ(json_field(before->body, "backend"), "web");

  route_api();
  EXPECT_TRUE(eventually([&] { return served_by("/api/users") == "api"; }));
  EXPECT_EQ(served_by("/other"), "web");
  EXPECT_EQ(portico_.process->pid(), pid);
  EXPECT_TRUE(still_running());

  // The connection opened before the change is still served, with the new routes.
  ASSERT_TRUE(kept.send("GET /api/after HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto after = kept.read_response(5s);
  ASSERT_TRUE(after) << "keep-alive connection lost across the change";
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(json_field(after->body, "backend"), "api");
}

TEST_F(LiveConfigTest, EndpointChangesApplyLive) {
  Backend replacement = start_backend("127.0.0.5", "web-2");
  manifests_.write("web.yaml", service_yaml("demo", "web", {&replacement}));
  EXPECT_TRUE(eventually([&] { return served_by("/") == "web-2"; }));
  // Every request now goes to the new endpoint, the old one is out of rotation.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(served_by("/"), "web-2");

  manifests_.write("web.yaml", service_yaml("demo", "web", {}));
  EXPECT_TRUE(eventually([&] { return served_by("/") == "status 503"; }));
}

TEST_F(LiveConfigTest, TrafficDuringRepeatedChangesNeverFails) {
  // Requests race snapshot swaps: each must see either the old or the new routes, whole.
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> served{0};
  std::thread traffic([&] {
    RawConnection kept("127.0.0.1", portico_.http_port);
    while (!done.load()) {
      if (!kept.send("GET /stable HTTP/1.1\r\nHost: demo.local\r\n\r\n")) {
        ++failures;
        return;
      }
      const auto response = kept.read_response(5s);
      if (!response || response->status != 200) {
        ++failures;
        return;
      }
      ++served;
    }
  });
  for (int i = 0; i < 20; ++i) {
    const std::string path = "/v" + std::to_string(i);
    manifests_.write("ingress.yaml",
                     ingress_yaml("demo", "demo", site_rules({{kHost, path, "Prefix", "api"}})));
    EXPECT_TRUE(eventually([&] { return served_by(path) == "api"; })) << path;
  }
  done = true;
  traffic.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(served.load(), 20);
}

TEST_F(LiveConfigTest, RequestInFlightDuringAChangeCompletes) {
  RawConnection in_flight("127.0.0.1", portico_.http_port);
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_TRUE(in_flight.send("GET /delay/1500 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  ASSERT_TRUE(eventually(
      [&] {
        return scraped_value(portico_.metrics_port, "portico_inflight_requests",
                             {{"service", "web"}}) == 1;
      },
      1s))
      << "the request never reached the backend";

  // Take away the very route and Service the request is using.
  manifests_.write("ingress.yaml",
                   ingress_yaml("demo", "demo", {{kHost, "/api", "Prefix", "api"}}));
  std::filesystem::remove(manifests_.path() / "web.yaml");
  ASSERT_TRUE(eventually([&] { return status_of("/") == 404; }, 5s));
  // Otherwise the change landed after the response and this test proves nothing.
  ASSERT_LT(std::chrono::steady_clock::now() - sent, 1400ms);

  const auto response = in_flight.read_response(10s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json_field(response->body, "backend"), "web");
}

TEST_F(LiveConfigTest, BrokenManifestIsReportedAndTheLastGoodRoutesKeepServing) {
  // Line 6 is indented under a scalar: a YAML syntax error on that line.
  manifests_.write("ingress.yaml",
                   "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: demo\n"
                   "  namespace: demo\n    broken: indentation\nspec:\n  rules: []\n");
  const std::string where = (manifests_.path() / "ingress.yaml").string() + ":6";
  const auto logged = portico_.process->wait_for_line(where, 10s);
  ASSERT_TRUE(logged) << "no error naming " << where;
  EXPECT_NE(logged->find("error"), std::string::npos) << *logged;

  EXPECT_EQ(served_by("/"), "web");
  EXPECT_EQ(served_by("/api"), "web");
  EXPECT_TRUE(still_running());

  route_api();  // the fixed file, with a new route to prove it applied
  EXPECT_TRUE(eventually([&] { return served_by("/api") == "api"; }));
  EXPECT_EQ(served_by("/"), "web");
}

}  // namespace
}  // namespace portico::testing
