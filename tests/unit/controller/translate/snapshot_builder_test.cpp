#include "controller/translate/snapshot_builder.h"

#include <chrono>

#include <gtest/gtest.h>

#include "proxy/balancer/maglev_table.h"

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using test_support::contents_from_yaml;
using test_support::endpoint_strings;
using test_support::ready_endpoint;
using test_support::service_yaml;
using test_support::simple_ingress_yaml;
using test_support::slice_yaml;

// A policy spelled out, as the annotations would choose it.
proxy::BalancingPolicy balancing(proxy::Algorithm algorithm,
                                 proxy::HashSource source = proxy::HashSource::kClientIp,
                                 std::string name = "", std::chrono::milliseconds slow_start = {}) {
  return proxy::BalancingPolicy{algorithm, source, std::move(name), slow_start};
}

// The Services most tests route to: demo/web (2 endpoints) and demo/api (1 endpoint).
const std::string kServices =
    service_yaml("demo", "web", 80, "http", "9001") +
    slice_yaml("demo", "web-1", "web", "http", 9001,
               {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}) +
    service_yaml("demo", "api", 81, "grpc", "9002") +
    slice_yaml("demo", "api-1", "api", "grpc", 9002, {ready_endpoint("10.0.0.3")});

class SnapshotBuilderTest : public ::testing::Test {
 protected:
  Translation build(const std::string& yaml, uint64_t generation = 1,
                    const TranslateOptions& options = {}) {
    return build_snapshot(contents_from_yaml(yaml), options, generation, registry_);
  }
  // The backend name a request reaches, "404" when nothing matches, "503" for a null backend.
  static std::string route(const Translation& translation, std::string_view host,
                           std::string_view path) {
    const proxy::RouteTarget* target = translation.snapshot->routes.match(host, path);
    if (target == nullptr) return "404";
    return target->backend ? target->backend->name : "503";
  }

  proxy::EndpointStateRegistry registry_;
};

TEST_F(SnapshotBuilderTest, RoutesHostsAndPathsToBackendsEndToEnd) {
  const Translation translation = build(kServices + R"(---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: demo}
spec:
  ingressClassName: portico
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: grpc}}}}
          - {path: /login, pathType: Exact, backend: {service: {name: api, port: {number: 81}}}}
          - {pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
)",
                                        7);
  EXPECT_TRUE(translation.warnings.empty());
  EXPECT_EQ(translation.snapshot->generation, 7u);
  EXPECT_EQ(route(translation, "shop.example.com", "/api/v1/items"), "demo/api:81");
  EXPECT_EQ(route(translation, "SHOP.example.com:8080", "/login"), "demo/api:81");
  EXPECT_EQ(route(translation, "shop.example.com", "/login/again"), "demo/web:80");
  EXPECT_EQ(route(translation, "shop.example.com", "/"), "demo/web:80") << "no path means /";
  EXPECT_EQ(route(translation, "other.example.com", "/"), "404");

  const proxy::RouteTarget* target = translation.snapshot->routes.match("shop.example.com", "/");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->ingress, "demo/shop");
  EXPECT_EQ(target->namespace_, "demo");
  EXPECT_EQ(endpoint_strings(*target->backend),
            (std::vector<std::string>{"10.0.0.1:9001", "10.0.0.2:9001"}));
}

TEST_F(SnapshotBuilderTest, SharesBackendsAndListsThemAllByIndex) {
  const Translation translation =
      build(kServices + simple_ingress_yaml("demo", "a", "a.test", "/", "web", 80) +
            simple_ingress_yaml("demo", "b", "b.test", "/", "web", 80) +
            simple_ingress_yaml("demo", "c", "c.test", "/", "api", 81));
  const auto& backends = translation.snapshot->backends;
  ASSERT_EQ(backends.size(), 2u);
  for (uint32_t i = 0; i < backends.size(); ++i) EXPECT_EQ(backends[i]->index, i);
  const proxy::RouteTarget* a = translation.snapshot->routes.match("a.test", "/");
  const proxy::RouteTarget* b = translation.snapshot->routes.match("b.test", "/");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->backend, b->backend);
  EXPECT_EQ(a->backend, backends[a->backend->index]);
  EXPECT_EQ(route(translation, "c.test", "/"), "demo/api:81");
}

TEST_F(SnapshotBuilderTest, OnAConflictTheOldestIngressWinsAndTheOtherIsWarned) {
  // "a-new" sorts first by name but is younger: age decides, not name.
  const Translation translation = build(
      kServices +
      simple_ingress_yaml("demo", "a-new", "x.test", "/", "api", 81, "2024-02-01T00:00:00Z") +
      simple_ingress_yaml("demo", "z-old", "x.test", "/", "web", 80, "2024-01-01T00:00:00Z") +
      simple_ingress_yaml("demo", "a-new2", "x.test", "/other", "api", 81, "2024-02-01T00:00:00Z"));
  EXPECT_EQ(route(translation, "x.test", "/"), "demo/web:80");
  EXPECT_EQ(route(translation, "x.test", "/other"), "demo/api:81") << "other rules still work";
  ASSERT_EQ(translation.warnings.size(), 1u);
  EXPECT_EQ(translation.warnings[0].object, "demo/a-new");
  EXPECT_NE(translation.warnings[0].message.find("path \"/\""), std::string::npos)
      << translation.warnings[0].message;
}

TEST_F(SnapshotBuilderTest, WithoutCreationTimesNamespaceAndNameDecide) {
  const Translation translation =
      build(kServices + simple_ingress_yaml("demo", "b", "x.test", "/", "api", 81) +
            simple_ingress_yaml("demo", "a", "x.test", "/", "web", 80));
  EXPECT_EQ(route(translation, "x.test", "/"), "demo/web:80");
  ASSERT_EQ(translation.warnings.size(), 1u);
  EXPECT_EQ(translation.warnings[0].object, "demo/b");
}

TEST_F(SnapshotBuilderTest, PathTypesMapToRouteTypes) {
  const std::string rules = R"(
  rules:
    - http:
        paths:
          - {path: /exact, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
          - path: /items/[0-9]+
            pathType: ImplementationSpecific
            backend: {service: {name: api, port: {number: 81}}}
)";
  const std::string plain =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: "
      "demo}\nspec:\n  ingressClassName: portico" +
      rules;
  const Translation prefix = build(kServices + plain);
  EXPECT_EQ(route(prefix, "h", "/exact"), "demo/web:80");
  EXPECT_EQ(route(prefix, "h", "/exact/more"), "404");
  EXPECT_EQ(route(prefix, "h", "/items/42"), "404") << "without use-regex it is a prefix";

  for (const char* annotation : {"portico.io/use-regex", "nginx.ingress.kubernetes.io/use-regex"}) {
    const std::string regex =
        "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n"
        "  namespace: demo\n  annotations: {" +
        std::string(annotation) + ": \"true\"}\nspec:\n  ingressClassName: portico" + rules;
    const Translation translation = build(kServices + regex);
    EXPECT_EQ(route(translation, "h", "/items/42"), "demo/api:81") << annotation;
    EXPECT_EQ(route(translation, "h", "/items/abc"), "404") << annotation;
  }
}

TEST_F(SnapshotBuilderTest, MissingServiceStillRoutesToANullBackendWithAWarning) {
  const Translation translation =
      build(kServices + simple_ingress_yaml("demo", "i", "x.test", "/", "gone", 80) +
            simple_ingress_yaml("demo", "j", "y.test", "/", "web", 8080));
  EXPECT_EQ(route(translation, "x.test", "/"), "503");
  EXPECT_EQ(route(translation, "y.test", "/"), "503");
  const proxy::RouteTarget* target = translation.snapshot->routes.match("x.test", "/");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->ingress, "demo/i");
  ASSERT_EQ(translation.warnings.size(), 2u);
  EXPECT_EQ(translation.warnings[0].object, "demo/i");
  EXPECT_NE(translation.warnings[0].message.find("demo/gone"), std::string::npos);
  EXPECT_EQ(translation.warnings[1].object, "demo/j");
  EXPECT_TRUE(translation.snapshot->backends.empty());
}

TEST_F(SnapshotBuilderTest, IgnoresIngressesOfOtherClasses) {
  std::string other = simple_ingress_yaml("demo", "other", "x.test", "/", "web", 80);
  other.replace(other.find("ingressClassName: portico"), 25, "ingressClassName: nginx");
  const Translation translation = build(kServices + other);
  EXPECT_EQ(route(translation, "x.test", "/"), "404");
  EXPECT_TRUE(translation.warnings.empty());
}

TEST_F(SnapshotBuilderTest, OldestDefaultBackendBecomesTheDefaultTarget) {
  auto with_default = [](const std::string& name, const std::string& service, int port,
                         const std::string& created) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
           "\n  namespace: demo\n  creationTimestamp: \"" + created +
           "\"\nspec:\n  ingressClassName: portico\n  defaultBackend:\n    service: {name: " +
           service + ", port: {number: " + std::to_string(port) + "}}\n";
  };
  const Translation translation =
      build(kServices + with_default("young", "api", 81, "2024-05-01T00:00:00Z") +
            with_default("old", "web", 80, "2024-01-01T00:00:00Z") +
            simple_ingress_yaml("demo", "none", "x.test", "/x", "api", 81));
  const auto& fallback = translation.snapshot->default_target;
  ASSERT_NE(fallback, nullptr);
  EXPECT_EQ(fallback->ingress, "demo/old");
  ASSERT_NE(fallback->backend, nullptr);
  EXPECT_EQ(fallback->backend->name, "demo/web:80");
  ASSERT_EQ(translation.warnings.size(), 1u);
  EXPECT_EQ(translation.warnings[0].object, "demo/young");

  EXPECT_EQ(build(kServices).snapshot->default_target, nullptr);
}

TEST_F(SnapshotBuilderTest, EndpointStateSurvivesRebuilds) {
  const std::string yaml = kServices + simple_ingress_yaml("demo", "i", "", "/", "web", 80);
  const Translation first = build(yaml, 1);
  const Translation second = build(yaml, 2);
  ASSERT_EQ(first.snapshot->backends.size(), 1u);
  ASSERT_EQ(second.snapshot->backends.size(), 1u);
  EXPECT_EQ(first.snapshot->backends[0]->endpoints[0].state,
            second.snapshot->backends[0]->endpoints[0].state);
}

// An Ingress routing host/ to demo/web:80 with `annotations` (YAML flow map entries).
std::string annotated_ingress(const std::string& name, const std::string& host,
                              const std::string& annotations) {
  return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
         "\n  namespace: demo\n  annotations: {" + annotations +
         "}\nspec:\n  ingressClassName: portico\n  rules:\n    - host: " + host +
         "\n      http:\n        paths:\n          - {path: /, pathType: Prefix, backend: "
         "{service: {name: web, port: {number: 80}}}}\n";
}

const proxy::Backend* backend_of(const Translation& translation, std::string_view host) {
  const proxy::RouteTarget* target = translation.snapshot->routes.match(host, "/");
  return target == nullptr ? nullptr : target->backend.get();
}

TEST_F(SnapshotBuilderTest, AnnotationsChooseTheBackendsPolicy) {
  const Translation translation = build(
      kServices +
      annotated_ingress("hashed", "hashed.test",
                        "portico.io/hash-by: \"header:X-User\", portico.io/slow-start: 30s") +
      annotated_ingress("sticky", "sticky.test", "portico.io/load-balance: ip-hash") +
      annotated_ingress("nginx", "nginx.test", "nginx.ingress.kubernetes.io/load-balance: ewma") +
      annotated_ingress("plain", "plain.test", ""));
  EXPECT_TRUE(translation.warnings.empty());

  const proxy::Backend* hashed = backend_of(translation, "hashed.test");
  ASSERT_NE(hashed, nullptr);
  EXPECT_EQ(hashed->policy, balancing(proxy::Algorithm::kConsistentHash, proxy::HashSource::kHeader,
                                      "x-user", std::chrono::seconds(30)));
  ASSERT_NE(hashed->hash_table, nullptr);
  EXPECT_EQ(hashed->hash_table->endpoint_count(), hashed->endpoints.size());

  const proxy::Backend* sticky = backend_of(translation, "sticky.test");
  ASSERT_NE(sticky, nullptr);
  EXPECT_EQ(sticky->policy, balancing(proxy::Algorithm::kIpHash));
  ASSERT_NE(sticky->hash_table, nullptr);
  EXPECT_EQ(sticky->hash_table->endpoint_count(), 2u);

  const proxy::Backend* nginx = backend_of(translation, "nginx.test");
  ASSERT_NE(nginx, nullptr);
  EXPECT_EQ(nginx->policy.algorithm, proxy::Algorithm::kLeastResponseTime);
  EXPECT_EQ(nginx->hash_table, nullptr);

  const proxy::Backend* plain = backend_of(translation, "plain.test");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->policy, proxy::BalancingPolicy{});
  EXPECT_EQ(plain->hash_table, nullptr);
}

TEST_F(SnapshotBuilderTest, TwoPoliciesOnOneServicePortAreTwoBackends) {
  const Translation translation = build(
      kServices + annotated_ingress("a", "a.test", "portico.io/load-balance: least-connections") +
      annotated_ingress("b", "b.test", "portico.io/load-balance: random") +
      annotated_ingress("c", "c.test", "portico.io/load-balance: least-connections"));
  const auto& backends = translation.snapshot->backends;
  ASSERT_EQ(backends.size(), 2u);
  for (uint32_t i = 0; i < backends.size(); ++i) EXPECT_EQ(backends[i]->index, i);
  const proxy::Backend* a = backend_of(translation, "a.test");
  const proxy::Backend* b = backend_of(translation, "b.test");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, backend_of(translation, "c.test")) << "the same policy shares the backend";
  EXPECT_EQ(a->name, "demo/web:80");
  EXPECT_EQ(b->name, "demo/web:80");
  EXPECT_EQ(a->policy.algorithm, proxy::Algorithm::kLeastConnections);
  EXPECT_EQ(b->policy.algorithm, proxy::Algorithm::kRandom);
  EXPECT_EQ(endpoint_strings(*a), endpoint_strings(*b));
}

TEST_F(SnapshotBuilderTest, AnInvalidAnnotationIsWarnedAndTheIngressKeepsItsRoutes) {
  TranslateOptions options;
  options.default_policy.algorithm = proxy::Algorithm::kLeastConnections;
  const Translation translation =
      build(kServices +
                annotated_ingress("bad", "bad.test",
                                  "portico.io/load-balance: fastest, portico.io/slow-start: 30s") +
                annotated_ingress("good", "good.test", "portico.io/load-balance: random"),
            1, options);
  ASSERT_EQ(translation.warnings.size(), 1u);
  const Warning& warning = translation.warnings[0];
  EXPECT_EQ(warning.kind, "Ingress");
  EXPECT_EQ(warning.object, "demo/bad");
  EXPECT_NE(warning.message.find("portico.io/load-balance"), std::string::npos) << warning.message;
  EXPECT_NE(warning.message.find("\"fastest\""), std::string::npos) << warning.message;

  const proxy::Backend* bad = backend_of(translation, "bad.test");
  ASSERT_NE(bad, nullptr) << "the Ingress still routes";
  EXPECT_EQ(bad->policy, options.default_policy) << "its valid slow-start is dropped too";
  EXPECT_EQ(route(translation, "bad.test", "/anything"), "demo/web:80");
  const proxy::Backend* good = backend_of(translation, "good.test");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->policy.algorithm, proxy::Algorithm::kRandom);
}

TEST_F(SnapshotBuilderTest, TheDefaultPolicyAppliesToIngressesThatSetNone) {
  TranslateOptions options;
  options.default_policy.algorithm = proxy::Algorithm::kConsistentHash;
  const Translation translation =
      build(kServices + simple_ingress_yaml("demo", "i", "x.test", "/", "web", 80) +
                annotated_ingress("path", "path.test", "portico.io/hash-by: path"),
            1, options);
  const proxy::Backend* plain = backend_of(translation, "x.test");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->policy, options.default_policy);
  EXPECT_NE(plain->hash_table, nullptr);
  const proxy::Backend* by_path = backend_of(translation, "path.test");
  ASSERT_NE(by_path, nullptr);
  EXPECT_EQ(by_path->policy.hash_source, proxy::HashSource::kPath);
  EXPECT_NE(by_path, plain);
}

TEST_F(SnapshotBuilderTest, TheDefaultBackendFollowsItsIngressPolicy) {
  const Translation translation = build(kServices + R"(---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: fallback
  namespace: demo
  annotations: {portico.io/load-balance: power-of-two-choices}
spec:
  ingressClassName: portico
  defaultBackend: {service: {name: api, port: {number: 81}}}
)");
  ASSERT_NE(translation.snapshot->default_target, nullptr);
  ASSERT_NE(translation.snapshot->default_target->backend, nullptr);
  EXPECT_EQ(translation.snapshot->default_target->backend->policy.algorithm,
            proxy::Algorithm::kPowerOfTwoChoices);
}

}  // namespace
}  // namespace portico::controller
