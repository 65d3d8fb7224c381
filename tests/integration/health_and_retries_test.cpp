// Health checking and retries with real backends: one of three backends dies under load and
// clients see no failure; active checks take it out within interval x fall and bring it
// back after rise once it returns.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/integration/support/http_client.h"
#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/portico_fixture.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kIngress[] =
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n"
    "  namespace: demo\nspec:\n  ingressClassName: portico\n  rules:\n  - host: shop.example\n"
    "    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n"
    "          service:\n            name: web\n            port:\n              number: 80\n";

// The fixture's Service and slices, with `annotations` on the Service.
std::string annotated_service(const std::vector<const Backend*>& backends,
                              const std::string& annotations) {
  std::string yaml = service_yaml("demo", "web", backends);
  const std::string anchor = "  namespace: demo\nspec:";
  const auto at = yaml.find(anchor);
  if (at == std::string::npos) return yaml;
  yaml.insert(at + std::string("  namespace: demo\n").size(), "  annotations:\n" + annotations);
  return yaml;
}

// The sum of every sample of `name`.
double sample_sum(const std::string& text, const std::string& name) {
  double sum = 0;
  std::size_t at = 0;
  while ((at = text.find("\n" + name, at)) != std::string::npos) {
    at += 1;
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    const char after = line.size() > name.size() ? line[name.size()] : ' ';
    if (after != '{' && after != ' ') continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

class HealthAndRetriesTest : public ::testing::Test {
 protected:
  void start(const std::string& service_annotations) {
    a_ = start_backend("127.0.0.2", "a");
    b_ = start_backend("127.0.0.3", "b");
    c_ = start_backend("127.0.0.4", "c");
    manifests_.write("service.yaml", annotated_service({&a_, &b_, &c_}, service_annotations));
    manifests_.write("ingress.yaml", kIngress);
    portico_ = start_portico(manifests_.path(), {"--workers", "2"});
  }

  std::string served_by(const std::string& path = "/") {
    const auto response = http_request(portico_.http_port, "GET", path, "shop.example", {}, {}, 5s);
    if (!response) return "no response";
    if (response->status != 200) return "status " + std::to_string(response->status);
    return json_field(response->body, "backend");
  }

  TempDir manifests_;
  Backend a_, b_, c_;
  Portico portico_;
};

TEST_F(HealthAndRetriesTest, ABackendDyingUnderLoadCostsNoRequestAndChecksEjectAndReadmitIt) {
  start(
      "    portico.io/health-check: http\n    portico.io/health-check-path: /status/200\n"
      "    portico.io/health-check-interval: 200ms\n    portico.io/health-check-timeout: 150ms\n"
      "    portico.io/health-check-fall: \"2\"\n    portico.io/health-check-rise: \"2\"\n");
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::map<std::string, int> answers;
  auto load = [&] {
    while (!stop.load()) {
      const std::string who = served_by();
      std::lock_guard lock(mutex);
      ++answers[who];
    }
  };
  std::thread first(load), second(load);
  std::this_thread::sleep_for(500ms);

  const auto killed_at = std::chrono::steady_clock::now();
  const uint16_t port = b_.port;
  b_.process->signal(SIGKILL);
  b_.process->wait_exit(5s);
  // Active checks take it down within interval x fall (plus one interval of phase and jitter).
  const auto down = portico_.process->wait_for_line("endpoint down", 3s);
  const auto detected_after = std::chrono::steady_clock::now() - killed_at;
  std::this_thread::sleep_for(1s);
  stop = true;
  first.join();
  second.join();

  ASSERT_TRUE(down) << portico_.process->output();
  EXPECT_NE(down->find("127.0.0.3"), std::string::npos) << *down;
  EXPECT_LT(detected_after, 200ms * 2 + 200ms + 300ms);
  // Not one client request failed: connect failures went to another endpoint.
  for (const auto& [who, count] : answers) {
    EXPECT_TRUE(who == "a" || who == "b" || who == "c") << count << " answers were " << who;
  }
  answers.clear();
  // While it is down, nothing is sent its way.
  for (int i = 0; i < 12; ++i) EXPECT_NE(served_by(), "b");

  // It comes back on the same address: after `rise` passing checks it serves again.
  b_ = start_backend("127.0.0.3", "b", port);
  ASSERT_TRUE(portico_.process->wait_for_line("endpoint up", 3s)) << portico_.process->output();
  EXPECT_TRUE(eventually([&] { return served_by() == "b"; }, 3s));
}

TEST_F(HealthAndRetriesTest, AFailingStatusIsRetriedOnAnotherEndpoint) {
  // /status/503 fails on every backend: the client gets the 503 only after the retries,
  // which the access log shows reaching three different endpoints.
  start("");
  manifests_.write("ingress.yaml",
                   std::string(kIngress).replace(std::string(kIngress).find("spec:"), 5,
                                                 "  annotations:\n    portico.io/retries: \"2\"\n"
                                                 "    portico.io/retry-on: \"503\"\nspec:"));
  ASSERT_TRUE(eventually([&] {
    return portico_.process->output().find("routes published generation=2") != std::string::npos;
  }));
  const auto response = http_request(portico_.http_port, "GET", "/status/503", "shop.example");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  // Two retries, each on another endpoint: all three endpoints saw one request each.
  const std::string metrics = scrape_metrics(portico_.metrics_port);
  EXPECT_EQ(sample_value(metrics, "portico_upstream_retries_total",
                         {{"namespace", "demo"}, {"service", "web"}}),
            2.0)
      << metrics;
  for (const Backend* backend : {&a_, &b_, &c_}) {
    const std::string endpoint = backend->ip + ":" + std::to_string(backend->port);
    EXPECT_EQ(sample_value(metrics, "portico_endpoint_failures_total",
                           {{"namespace", "demo"}, {"service", "web"}, {"endpoint", endpoint}}),
              1.0)
        << endpoint << "\n"
        << metrics;
  }

  // A POST is not idempotent: never sent twice.
  const auto post = http_request(portico_.http_port, "POST", "/status/503", "shop.example");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 503);
  EXPECT_EQ(sample_value(scrape_metrics(portico_.metrics_port), "portico_upstream_retries_total",
                         {{"namespace", "demo"}, {"service", "web"}}),
            2.0);
}

TEST_F(HealthAndRetriesTest, TheCircuitBreakerAnswers503AtOnceOverTheLimit) {
  start("    portico.io/max-requests: \"1\"\n");
  auto slow = std::async(std::launch::async, [&] { return served_by("/delay/1500"); });
  ASSERT_TRUE(eventually([&] {
    return sample_sum(scrape_metrics(portico_.metrics_port),
                      "portico_endpoint_inflight_requests") == 1;
  }));
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(served_by("/"), "status 503");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << "the breaker must not queue";
  EXPECT_EQ(scraped_value(portico_.metrics_port, "portico_circuit_breaker_rejections_total",
                          {{"namespace", "demo"}, {"service", "web"}}),
            1.0);
  EXPECT_NE(slow.get(), "status 503");
  // Under the limit again: served.
  EXPECT_NE(served_by("/"), "status 503");
}

TEST_F(HealthAndRetriesTest, ConsecutiveFailuresEjectAnEndpointButNeverMostOfThePool) {
  start(
      "    portico.io/outlier-consecutive-failures: \"2\"\n"
      "    portico.io/outlier-base-ejection: 30s\n"
      "    portico.io/outlier-max-ejection-percent: \"50\"\n");
  // Every backend fails /status/500; one at most (1 of 3 is under 50 %) may be ejected.
  for (int i = 0; i < 30; ++i) EXPECT_EQ(served_by("/status/500"), "status 500");
  const std::string metrics = scrape_metrics(portico_.metrics_port);
  EXPECT_EQ(sample_sum(metrics, "portico_endpoint_ejections_total"), 1.0) << metrics;
  EXPECT_EQ(sample_sum(metrics, "portico_endpoint_healthy"), 2.0) << metrics;
  EXPECT_NE(portico_.process->output().find("endpoint ejected"), std::string::npos);
  // The ejected one gets no traffic; the other two do.
  std::set<std::string> serving;
  for (int i = 0; i < 12; ++i) serving.insert(served_by("/"));
  EXPECT_EQ(serving.size(), 2u);
}

TEST_F(HealthAndRetriesTest, MaxConnectionsCapsTheUpstreamConnectionsOfAService) {
  start("    portico.io/max-connections: \"1\"\n");
  // One slow request holds the only connection the Service may open.
  auto slow = std::async(std::launch::async, [&] { return served_by("/delay/1500"); });
  ASSERT_TRUE(eventually([&] {
    return sample_sum(scrape_metrics(portico_.metrics_port),
                      "portico_endpoint_inflight_requests") == 1;
  }));
  EXPECT_EQ(served_by("/"), "status 503");
  EXPECT_EQ(scraped_value(portico_.metrics_port, "portico_circuit_breaker_rejections_total",
                          {{"namespace", "demo"}, {"service", "web"}}),
            1.0);
  // Pooled connections count too (as Envoy's max_connections): the slow request's
  // connection, once idle in its worker's pool, still fills the Service's only slot.
  EXPECT_NE(slow.get(), "status 503");
}

}  // namespace
}  // namespace portico::testing
