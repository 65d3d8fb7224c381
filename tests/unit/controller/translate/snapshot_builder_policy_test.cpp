// build_snapshot and the annotations that decide health, retries and circuit breaking:
// Service annotations on every backend of the Service, Ingress retry annotations on the
// backends the Ingress routes to, and backend state that outlives snapshots.
#include <chrono>

#include <gtest/gtest.h>

#include "controller/translate/snapshot_builder.h"

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using std::chrono::milliseconds;
using test_support::contents_from_yaml;
using test_support::ready_endpoint;
using test_support::service_yaml;
using test_support::slice_yaml;

// demo/web:80 (two endpoints) with Service `annotations`, and demo/api:81 without any.
std::string services_yaml(const std::string& annotations) {
  std::string web = service_yaml("demo", "web", 80, "http", "");
  web.insert(web.find("spec:"), "  annotations: {" + annotations + "}\n");
  return web +
         slice_yaml("demo", "web-1", "web", "http", 80,
                    {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}) +
         service_yaml("demo", "api", 81, "grpc", "") +
         slice_yaml("demo", "api-1", "api", "grpc", 81, {ready_endpoint("10.0.0.3")});
}

// An Ingress `name` routing host/ to demo/<service>, with `annotations`.
std::string ingress_yaml(const std::string& name, const std::string& host,
                         const std::string& annotations, const std::string& service = "web",
                         int port = 80) {
  return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
         "\n  namespace: demo\n  annotations: {" + annotations +
         "}\nspec:\n  ingressClassName: portico\n  rules:\n    - host: " + host +
         "\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: "
         "{service: {name: " +
         service + ", port: {number: " + std::to_string(port) + "}}}}\n";
}

const proxy::Backend* backend_of(const Translation& translation, std::string_view host) {
  const proxy::RouteTarget* target = translation.snapshot->routes.match(host, "/");
  return target == nullptr ? nullptr : target->backend.get();
}

bool has_warning(const Translation& translation, const std::string& kind, const std::string& object,
                 const std::string& text) {
  for (const Warning& warning : translation.warnings) {
    if (warning.kind == kind && warning.object == object &&
        warning.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

class SnapshotBuilderPolicyTest : public ::testing::Test {
 protected:
  Translation build(const std::string& yaml, uint64_t generation = 1) {
    return build_snapshot(contents_from_yaml(yaml), TranslateOptions{}, generation, registry_);
  }

  proxy::EndpointStateRegistry registry_;
};

TEST_F(SnapshotBuilderPolicyTest, ServiceAnnotationsLandOnTheServicesBackends) {
  const Translation translation = build(
      services_yaml("portico.io/health-check: tcp, portico.io/health-check-interval: 3s, "
                    "portico.io/health-check-rise: \"4\", "
                    "portico.io/outlier-consecutive-failures: \"3\", "
                    "portico.io/outlier-base-ejection: 10s, "
                    "portico.io/outlier-max-ejection-percent: \"30\", "
                    "portico.io/max-connections: \"64\", portico.io/max-pending-requests: \"8\"") +
      ingress_yaml("a", "a.test", "") +
      ingress_yaml("b", "b.test", "portico.io/load-balance: random") +
      ingress_yaml("c", "c.test", "", "api", 81));
  EXPECT_TRUE(translation.warnings.empty()) << translation.warnings.front().message;
  for (const char* host : {"a.test", "b.test"}) {
    const proxy::Backend* web = backend_of(translation, host);
    ASSERT_NE(web, nullptr) << host;
    EXPECT_TRUE(web->health_check.enabled) << host;
    EXPECT_EQ(web->health_check.kind, proxy::ActiveHealthCheck::Kind::kTcp);
    EXPECT_EQ(web->health_check.interval, milliseconds(3'000));
    EXPECT_EQ(web->health_check.rise, 4u);
    EXPECT_EQ(web->outlier_detection.consecutive_failures, 3u);
    EXPECT_EQ(web->outlier_detection.base_ejection, milliseconds(10'000));
    EXPECT_EQ(web->outlier_detection.max_ejection_percent, 30u);
    EXPECT_EQ(web->circuit_breaker, (proxy::CircuitBreaker{64, 8, 0}));
  }
  EXPECT_NE(backend_of(translation, "a.test"), backend_of(translation, "b.test"));
  const proxy::Backend* api = backend_of(translation, "c.test");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->health_check, proxy::ActiveHealthCheck{}) << "another Service's are its own";
  EXPECT_EQ(api->circuit_breaker, proxy::CircuitBreaker{});
}

TEST_F(SnapshotBuilderPolicyTest, IngressRetryAnnotationsLandOnItsBackends) {
  const Translation translation = build(
      services_yaml("") +
      ingress_yaml("portico", "portico.test",
                   "portico.io/retries: \"3\", portico.io/retry-on: \"connect-failure,503\", "
                   "portico.io/per-try-timeout: 750ms, portico.io/retry-budget: \"15\"") +
      ingress_yaml("nginx", "nginx.test",
                   "nginx.ingress.kubernetes.io/proxy-next-upstream-tries: \"2\", "
                   "nginx.ingress.kubernetes.io/proxy-next-upstream: error http_502") +
      ingress_yaml("off", "off.test", "nginx.ingress.kubernetes.io/proxy-next-upstream: \"off\"") +
      ingress_yaml("plain", "plain.test", ""));
  EXPECT_TRUE(translation.warnings.empty()) << translation.warnings.front().message;

  const proxy::Backend* portico = backend_of(translation, "portico.test");
  ASSERT_NE(portico, nullptr);
  EXPECT_EQ(portico->retry.retries, 3u);
  EXPECT_TRUE(portico->retry.on_connect_failure);
  EXPECT_FALSE(portico->retry.on_reset);
  EXPECT_EQ(portico->retry.on_statuses, (std::vector<uint16_t>{503}));
  EXPECT_EQ(portico->retry.per_try_timeout, milliseconds(750));
  EXPECT_EQ(portico->retry.budget_percent, 15u);

  const proxy::Backend* nginx = backend_of(translation, "nginx.test");
  ASSERT_NE(nginx, nullptr);
  EXPECT_EQ(nginx->retry.retries, 1u);
  EXPECT_TRUE(nginx->retry.on_connect_failure);
  EXPECT_TRUE(nginx->retry.on_reset);
  EXPECT_EQ(nginx->retry.on_statuses, (std::vector<uint16_t>{502}));

  const proxy::Backend* off = backend_of(translation, "off.test");
  ASSERT_NE(off, nullptr);
  EXPECT_EQ(off->retry.retries, 0u);

  const proxy::Backend* plain = backend_of(translation, "plain.test");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->retry, proxy::RetryPolicy{});
  EXPECT_EQ(translation.snapshot->backends.size(), 4u);
}

TEST_F(SnapshotBuilderPolicyTest, TwoIngressesWithDifferentRetriesGetTwoBackendsAndStates) {
  const Translation translation = build(services_yaml("portico.io/max-requests: \"5\"") +
                                        ingress_yaml("a", "a.test", "portico.io/retries: \"1\"") +
                                        ingress_yaml("b", "b.test", "portico.io/retries: \"4\"") +
                                        ingress_yaml("c", "c.test", "portico.io/retries: \"1\""));
  const auto& backends = translation.snapshot->backends;
  ASSERT_EQ(backends.size(), 2u);
  for (uint32_t i = 0; i < backends.size(); ++i) {
    EXPECT_EQ(backends[i]->index, i);
    EXPECT_NE(backends[i]->state, nullptr);
  }
  const proxy::Backend* a = backend_of(translation, "a.test");
  const proxy::Backend* b = backend_of(translation, "b.test");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, backend_of(translation, "c.test")) << "the same retries share the backend";
  EXPECT_EQ(a->name, b->name);
  EXPECT_EQ(a->state, b->state) << "one circuit breaker for the Service";
  EXPECT_EQ(a->retry.retries, 1u);
  EXPECT_EQ(b->retry.retries, 4u);
  EXPECT_EQ(a->circuit_breaker, b->circuit_breaker);
}

TEST_F(SnapshotBuilderPolicyTest, BackendStateSurvivesRebuilds) {
  const std::string yaml = services_yaml("") + ingress_yaml("a", "a.test", "") +
                           ingress_yaml("b", "b.test", "portico.io/retries: \"4\"") +
                           ingress_yaml("c", "c.test", "", "api", 81);
  const Translation first = build(yaml, 1);
  // The next generation, with a Service annotation and an unrelated Ingress added.
  const Translation second =
      build(services_yaml("portico.io/health-check: http") + ingress_yaml("a", "a.test", "") +
                ingress_yaml("b", "b.test", "portico.io/retries: \"4\"") +
                ingress_yaml("c", "c.test", "", "api", 81) +
                ingress_yaml("d", "d.test", "portico.io/retries: \"0\""),
            2);
  for (const char* host : {"a.test", "b.test", "c.test"}) {
    const proxy::Backend* before = backend_of(first, host);
    const proxy::Backend* after = backend_of(second, host);
    ASSERT_TRUE(before && after) << host;
    EXPECT_NE(before, after) << host;
    ASSERT_NE(after->state, nullptr) << host;
    EXPECT_EQ(before->state, after->state) << host;
  }
  EXPECT_TRUE(backend_of(second, "a.test")->health_check.enabled);
  EXPECT_EQ(backend_of(second, "d.test")->state, backend_of(second, "a.test")->state)
      << "another policy on the same Service shares its counters";
  EXPECT_NE(backend_of(second, "c.test")->state, backend_of(second, "a.test")->state)
      << "another Service has its own";
}

TEST_F(SnapshotBuilderPolicyTest, InvalidAnnotationsAreWarnedAndKeepTheirDefaults) {
  const Translation translation =
      build(services_yaml("portico.io/health-check: http, "
                          "portico.io/health-check-path: \"no-slash\", "
                          "portico.io/max-requests: \"2000000\", "
                          "portico.io/outlier-consecutive-failures: \"4\"") +
            ingress_yaml("bad", "bad.test",
                         "portico.io/retries: \"99\", portico.io/retry-on: \"503\", "
                         "portico.io/load-balance: least-connections") +
            ingress_yaml("good", "good.test", "portico.io/retries: \"1\""));
  EXPECT_TRUE(has_warning(translation, "Ingress", "demo/bad", "portico.io/retries value \"99\""));
  EXPECT_TRUE(has_warning(translation, "Service", "demo/web",
                          "portico.io/health-check-path value \"no-slash\""));
  EXPECT_TRUE(
      has_warning(translation, "Service", "demo/web", "portico.io/max-requests value \"2000000\""));
  EXPECT_EQ(translation.warnings.size(), 3u);

  const proxy::Backend* bad = backend_of(translation, "bad.test");
  ASSERT_NE(bad, nullptr) << "the Ingress still routes";
  EXPECT_EQ(bad->retry.retries, proxy::RetryPolicy{}.retries);
  EXPECT_EQ(bad->retry.on_statuses, (std::vector<uint16_t>{503})) << "the valid retry-on applies";
  EXPECT_EQ(bad->policy.algorithm, proxy::Algorithm::kLeastConnections);
  EXPECT_TRUE(bad->health_check.enabled);
  EXPECT_EQ(bad->health_check.path, proxy::ActiveHealthCheck{}.path);
  EXPECT_EQ(bad->circuit_breaker.max_requests, 0u);
  EXPECT_EQ(bad->outlier_detection.consecutive_failures, 4u);
  EXPECT_EQ(bad->endpoints.size(), 2u);

  const proxy::Backend* good = backend_of(translation, "good.test");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->retry.retries, 1u);
}

}  // namespace
}  // namespace portico::controller
