// BackendResolver and the policies around a backend: the Service's (health check, outlier
// detection, circuit breaker), the referring Ingress' (balancing, retries), and the shared
// BackendState each backend gets from the registry.
#include <chrono>

#include <gtest/gtest.h>

#include "controller/translate/backend_resolver.h"

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using std::chrono::milliseconds;
using test_support::contents_from_yaml;
using test_support::ready_endpoint;
using test_support::service_yaml;
using test_support::slice_yaml;

// demo/web:80 with two endpoints, the Service carrying `annotations` (YAML flow map entries).
std::string web_yaml(const std::string& annotations) {
  std::string service = service_yaml("demo", "web", 80, "http", "");
  service.insert(service.find("spec:"), "  annotations: {" + annotations + "}\n");
  return service + slice_yaml("demo", "web-1", "web", "http", 80,
                              {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")});
}

constexpr char kServiceAnnotations[] =
    "portico.io/health-check: http, portico.io/health-check-path: /ready, "
    "portico.io/health-check-interval: 2s, portico.io/outlier-consecutive-failures: \"7\", "
    "portico.io/max-requests: \"100\"";

IngressPolicy with_retries(uint32_t retries) {
  IngressPolicy policy;
  policy.retry.retries = retries;
  return policy;
}

class BackendResolverPolicyTest : public ::testing::Test {
 protected:
  // A new translation's resolver over `yaml`; the previous one's backends stay alive in
  // `kept_` (as a published snapshot would keep them).
  BackendResolver& translate(const std::string& yaml) {
    if (resolver_) {
      for (const auto& backend : resolver_->backends()) kept_.push_back(backend);
    }
    contents_ = contents_from_yaml(yaml);
    warnings_ = WarningList();
    resolver_ = std::make_unique<BackendResolver>(contents_, registry_, warnings_);
    return *resolver_;
  }
  std::shared_ptr<const proxy::Backend> web(const IngressPolicy& policy) {
    return resolver_->resolve("demo", IngressBackend{"web", {80, ""}}, "demo/ing", policy);
  }
  std::vector<Warning> warnings() { return std::move(warnings_).take(); }

  proxy::EndpointStateRegistry registry_;
  StoreContents contents_;
  WarningList warnings_;
  std::unique_ptr<BackendResolver> resolver_;
  std::vector<std::shared_ptr<const proxy::Backend>> kept_;
};

TEST_F(BackendResolverPolicyTest, ServiceAnnotationsLandOnEveryBackendOfTheService) {
  translate(web_yaml(kServiceAnnotations));
  IngressPolicy least;
  least.balancing.algorithm = proxy::Algorithm::kLeastConnections;
  for (const auto& backend : {web(IngressPolicy{}), web(least), web(with_retries(5))}) {
    ASSERT_NE(backend, nullptr);
    EXPECT_TRUE(backend->health_check.enabled);
    EXPECT_EQ(backend->health_check.kind, proxy::ActiveHealthCheck::Kind::kHttp);
    EXPECT_EQ(backend->health_check.path, "/ready");
    EXPECT_EQ(backend->health_check.interval, milliseconds(2'000));
    EXPECT_EQ(backend->outlier_detection.consecutive_failures, 7u);
    EXPECT_EQ(backend->circuit_breaker.max_requests, 100u);
    EXPECT_EQ(backend->circuit_breaker.max_connections, 0u);
  }
  EXPECT_EQ(resolver_->backends().size(), 3u);
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverPolicyTest, AServiceWithoutAnnotationsGetsTheDefaults) {
  translate(web_yaml(""));
  const auto backend = web(IngressPolicy{});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->health_check, proxy::ActiveHealthCheck{});
  EXPECT_EQ(backend->outlier_detection, proxy::OutlierDetection{});
  EXPECT_EQ(backend->circuit_breaker, proxy::CircuitBreaker{});
  EXPECT_EQ(backend->retry, proxy::RetryPolicy{});
  EXPECT_NE(backend->state, nullptr);
}

TEST_F(BackendResolverPolicyTest, TheRetryPolicyIsPartOfTheBackendsIdentity) {
  translate(web_yaml(""));
  const auto two = web(with_retries(2));
  const auto five = web(with_retries(5));
  const auto five_again = web(with_retries(5));
  ASSERT_TRUE(two && five);
  EXPECT_NE(two, five);
  EXPECT_EQ(five, five_again);
  EXPECT_EQ(two->retry.retries, 2u);
  EXPECT_EQ(five->retry.retries, 5u);
  EXPECT_EQ(two->name, five->name);
  EXPECT_EQ(two->endpoints[0].state, five->endpoints[0].state) << "endpoints are shared";
  EXPECT_EQ(resolver_->backends().size(), 2u);

  IngressPolicy on_503 = with_retries(2);
  on_503.retry.on_statuses = {503};
  const auto statuses = web(on_503);
  EXPECT_NE(statuses, two);
}

// The circuit breaker is the Service's: its limits hold for the Service as a whole, however
// many Ingress policies split it into backends, and another Service has limits of its own.
TEST_F(BackendResolverPolicyTest, EveryPolicyFieldSeparatesBackendsThatShareTheServiceState) {
  translate(web_yaml(""));
  std::vector<IngressPolicy> policies(9);
  policies[1].balancing.algorithm = proxy::Algorithm::kRandom;
  policies[2].balancing = {proxy::Algorithm::kConsistentHash, proxy::HashSource::kHeader, "x-a",
                           milliseconds(0)};
  policies[3].balancing = {proxy::Algorithm::kConsistentHash, proxy::HashSource::kHeader, "x-b",
                           milliseconds(0)};
  policies[4].balancing.slow_start = milliseconds(1'000);
  policies[5].retry.on_connect_failure = false;
  policies[6].retry.on_reset = false;
  policies[7].retry.per_try_timeout = milliseconds(250);
  policies[8].retry.budget_percent = 50;
  std::vector<std::shared_ptr<const proxy::Backend>> backends;
  for (const IngressPolicy& policy : policies) {
    const auto backend = web(policy);
    ASSERT_NE(backend, nullptr);
    ASSERT_NE(backend->state, nullptr);
    for (const auto& other : backends) {
      EXPECT_NE(backend, other);
      EXPECT_EQ(backend->state, other->state);
    }
    backends.push_back(backend);
  }

  translate(web_yaml("") + service_yaml("demo", "api", 80, "http", "") +
            slice_yaml("demo", "api-1", "api", "http", 80, {ready_endpoint("10.0.0.9")}));
  const auto api = resolver_->resolve("demo", IngressBackend{"api", {80, ""}}, "demo/ing", {});
  ASSERT_NE(api, nullptr);
  EXPECT_NE(api->state, web(IngressPolicy{})->state);
}

TEST_F(BackendResolverPolicyTest, BackendStateSurvivesTranslations) {
  translate(web_yaml(""));
  const auto first = web(with_retries(3));
  const auto first_other = web(with_retries(1));
  first->state->requests.fetch_add(4);

  // The next translation: new objects, the same counters, even when the Service's own
  // settings (here a circuit-breaker limit) changed.
  translate(web_yaml("portico.io/max-requests: \"10\""));
  const auto second_other = web(with_retries(1));
  const auto second = web(with_retries(3));
  ASSERT_TRUE(second && second_other);
  EXPECT_NE(second, first);
  EXPECT_EQ(second->circuit_breaker.max_requests, 10u);
  EXPECT_EQ(second->state, first->state);
  EXPECT_EQ(second->state->requests.load(), 4);
  EXPECT_EQ(second_other->state, first_other->state);
}

TEST_F(BackendResolverPolicyTest, BackendStateEndsWithTheLastBackendHoldingIt) {
  translate(web_yaml(""));
  std::weak_ptr<proxy::BackendState> old_state = web(with_retries(3))->state;
  resolver_.reset();  // no snapshot keeps the first translation
  translate(web_yaml(""));
  const auto backend = web(with_retries(3));
  EXPECT_TRUE(old_state.expired());
  EXPECT_NE(backend->state, nullptr);
}

TEST_F(BackendResolverPolicyTest, AnInvalidServiceAnnotationIsWarnedOnceAndKeepsItsDefault) {
  translate(
      web_yaml("portico.io/health-check: http, portico.io/health-check-fall: \"0\", "
               "portico.io/max-connections: \"50\""));
  const auto backend = web(IngressPolicy{});
  const auto other = web(with_retries(4));  // a second backend of the same Service
  ASSERT_TRUE(backend && other);
  EXPECT_EQ(backend->endpoints.size(), 2u);
  EXPECT_TRUE(backend->health_check.enabled);
  EXPECT_EQ(backend->health_check.fall, proxy::ActiveHealthCheck{}.fall);
  EXPECT_EQ(backend->circuit_breaker.max_connections, 50u) << "the other settings apply";
  EXPECT_EQ(other->health_check, backend->health_check);

  const std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].kind, "Service");
  EXPECT_EQ(list[0].object, "demo/web");
  EXPECT_NE(list[0].message.find("portico.io/health-check-fall"), std::string::npos)
      << list[0].message;
  EXPECT_NE(list[0].message.find("\"0\""), std::string::npos) << list[0].message;
}

}  // namespace
}  // namespace portico::controller
