#include "controller/translate/snapshot_builder.h"

#include <gtest/gtest.h>

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using test_support::contents_from_yaml;
using test_support::endpoint_strings;
using test_support::ready_endpoint;
using test_support::service_yaml;
using test_support::simple_ingress_yaml;
using test_support::slice_yaml;

// The Services most tests route to: demo/web (2 endpoints) and demo/api (1 endpoint).
const std::string kServices =
    service_yaml("demo", "web", 80, "http", "9001") +
    slice_yaml("demo", "web-1", "web", "http", 9001,
               {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}) +
    service_yaml("demo", "api", 81, "grpc", "9002") +
    slice_yaml("demo", "api-1", "api", "grpc", 9002, {ready_endpoint("10.0.0.3")});

class SnapshotBuilderTest : public ::testing::Test {
 protected:
  Translation build(const std::string& yaml, uint64_t generation = 1) {
    return build_snapshot(contents_from_yaml(yaml), TranslateOptions{}, generation, registry_);
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

}  // namespace
}  // namespace portico::controller
