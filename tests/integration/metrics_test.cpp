// The admin endpoint: health probes, and Prometheus metrics that count real traffic and
// pass promtool's checks.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>

#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/run_program.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPromtool = "/usr/bin/promtool";

class MetricsTest : public SiteTest {
 protected:
  void SetUp() override {
    api_ = start_backend("127.0.0.3", "api");
    manifests_.write("api.yaml", service_yaml("demo", "api", {&api_}));
    start_site({}, {{kHost, "/api", "Prefix", "api"}});
  }

  double metric(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return scraped_value(portico_.metrics_port, name, labels);
  }

  Backend api_;
};

TEST_F(MetricsTest, HealthAndReadinessAnswer200) {
  const auto health = http_request(portico_.metrics_port, "GET", "/healthz", "localhost");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const auto ready = http_request(portico_.metrics_port, "GET", "/readyz", "localhost");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
}

TEST_F(MetricsTest, RequestsAreCountedByRouteAndCode) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(status_of("/"), 200);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(status_of("/status/418"), 418);
  EXPECT_EQ(status_of("/api/x"), 200);

  const std::string text = scrape_metrics(portico_.metrics_port);
  const std::map<std::string, std::string> web = {
      {"ingress", "demo/demo"}, {"namespace", "demo"}, {"service", "web"}};
  auto with_code = [&](const char* code) {
    auto labels = web;
    labels["code"] = code;
    return labels;
  };
  EXPECT_EQ(sample_value(text, "portico_requests_total", with_code("200")), 3) << text;
  EXPECT_EQ(sample_value(text, "portico_requests_total", with_code("418")), 2) << text;
  EXPECT_EQ(sample_value(text, "portico_requests_total",
                         {{"service", "api"}, {"namespace", "demo"}, {"code", "200"}}),
            1)
      << text;

  EXPECT_NE(text.find("# TYPE portico_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(sample_value(text, "portico_request_duration_seconds_count", web), 5) << text;
  auto infinity = web;
  infinity["le"] = "+Inf";
  EXPECT_EQ(sample_value(text, "portico_request_duration_seconds_bucket", infinity), 5) << text;
  const double sum = sample_value(text, "portico_request_duration_seconds_sum", web).value_or(-1);
  EXPECT_GT(sum, 0);
  EXPECT_LT(sum, 5);  // five quick requests
}

TEST_F(MetricsTest, ActiveConnectionsFollowOpenClientConnections) {
  EXPECT_EQ(metric("portico_active_connections"), 0);
  {
    std::vector<std::unique_ptr<RawConnection>> open;
    for (int i = 0; i < 3; ++i) {
      open.push_back(std::make_unique<RawConnection>("127.0.0.1", portico_.http_port));
      ASSERT_TRUE(open.back()->send("GET / HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
      ASSERT_TRUE(open.back()->read_response(5s));
    }
    EXPECT_EQ(metric("portico_active_connections"), 3);
  }
  EXPECT_TRUE(eventually([&] { return metric("portico_active_connections") == 0; }));
}

TEST_F(MetricsTest, InflightRequestsCountRequestsBeingForwarded) {
  // Before any traffic the series may not exist yet (-1); it must not count anything.
  EXPECT_LE(metric("portico_inflight_requests", {{"namespace", "demo"}, {"service", "web"}}), 0);
  RawConnection slow("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(slow.send("GET /delay/1500 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  EXPECT_TRUE(eventually(
      [&] {
        return metric("portico_inflight_requests", {{"namespace", "demo"}, {"service", "web"}}) ==
               1;
      },
      1s));
  EXPECT_NE(metric("portico_inflight_requests", {{"service", "api"}}), 1);
  const auto response = slow.read_response(5s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(eventually([&] {
    return metric("portico_inflight_requests", {{"namespace", "demo"}, {"service", "web"}}) == 0;
  }));
}

TEST_F(MetricsTest, ConfigGenerationAndApplyTimeAdvanceOnAChange) {
  const double generation = metric("portico_config_generation");
  const double applied = metric("portico_config_last_applied_timestamp_seconds");
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_GE(generation, 1);
  EXPECT_GT(applied, now - 120);
  EXPECT_LE(applied, now + 1);

  manifests_.write("ingress.yaml",
                   ingress_yaml("demo", "demo", site_rules({{kHost, "/v2", "Prefix", "api"}})));
  EXPECT_TRUE(eventually([&] { return metric("portico_config_generation") > generation; }));
  EXPECT_GE(metric("portico_config_last_applied_timestamp_seconds"), applied);
}

TEST_F(MetricsTest, ExpositionPassesPromtool) {
  ASSERT_TRUE(std::filesystem::exists(kPromtool))
      << kPromtool << " is missing: install Debian's prometheus package";
  // Traffic first, so that labelled series and histograms are present.
  EXPECT_EQ(status_of("/"), 200);
  EXPECT_EQ(status_of("/status/503"), 503);
  const auto unrouted = http_request(portico_.http_port, "GET", "/", "nowhere.local");
  ASSERT_TRUE(unrouted);
  EXPECT_EQ(unrouted->status, 404);
  const std::string text = scrape_metrics(portico_.metrics_port);
  ASSERT_FALSE(text.empty());
  const ProgramResult checked = run_program(kPromtool, {"check", "metrics"}, text);
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n--- metrics ---\n" << text;
  EXPECT_EQ(checked.output, "") << "promtool warnings:\n" << checked.output;
}

}  // namespace
}  // namespace portico::testing
