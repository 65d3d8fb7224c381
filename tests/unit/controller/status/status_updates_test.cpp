#include "controller/status/status_updates.h"

#include <gtest/gtest.h>

#include "tests/unit/controller/status/load_balancer_status_printer.h"

namespace portico::controller::status {
namespace {

LoadBalancerIngress ip(const std::string& address) {
  return {.ip = address, .hostname = {}};
}
LoadBalancerIngress host(const std::string& name) {
  return {.ip = {}, .hostname = name};
}

Ingress ingress(const std::string& ns, const std::string& name, std::optional<std::string> klass,
                LoadBalancerStatus status) {
  Ingress result;
  result.meta.namespace_ = ns;
  result.meta.name = name;
  result.ingress_class_name = std::move(klass);
  result.status = std::move(status);
  return result;
}

TEST(StatusUpdatesTest, UpdatesOnlyOurIngressesWhoseStatusDiffers) {
  // Canonical (sorted) order, as the writer sends it: hostnames sort before IPs.
  const LoadBalancerStatus target{host("lb.example.com"), ip("10.0.0.1")};
  StoreContents contents;
  contents.put(ingress("a", "stale", "portico", {ip("10.0.0.9")}));
  contents.put(ingress("a", "current", "portico", target));
  contents.put(ingress("a", "same-set-other-order", "portico",
                       {host("lb.example.com"), ip("10.0.0.1"), ip("10.0.0.1")}));
  contents.put(ingress("b", "empty", "portico", {}));
  contents.put(ingress("b", "nginx", "nginx", {ip("192.0.2.1")}));
  contents.put(ingress("b", "unclassed", std::nullopt, {}));

  const std::vector<IngressStatusUpdate> expected{
      {"a", "stale", target},
      {"b", "empty", target},
  };
  EXPECT_EQ(status_updates(contents, TranslateOptions{}, target), expected);
}

TEST(StatusUpdatesTest, TargetIsComparedAndWrittenInCanonicalOrder) {
  StoreContents contents;
  contents.put(ingress("a", "x", "portico", {ip("10.0.0.1"), ip("10.0.0.2")}));
  EXPECT_TRUE(
      status_updates(contents, TranslateOptions{}, {ip("10.0.0.2"), ip("10.0.0.1")}).empty());
  auto updates = status_updates(contents, TranslateOptions{}, {ip("10.0.0.3"), ip("10.0.0.2")});
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].addresses, (LoadBalancerStatus{ip("10.0.0.2"), ip("10.0.0.3")}));
}

TEST(StatusUpdatesTest, DefaultClassAdoptsUnclassedIngresses) {
  StoreContents contents;
  contents.put(ingress("a", "unclassed", std::nullopt, {}));
  IngressClass portico;
  portico.meta.namespace_ = "";
  portico.meta.name = "portico";
  portico.controller = "portico.io/ingress-controller";
  portico.meta.annotations[kIsDefaultClassAnnotation] = "true";
  contents.put(portico);
  auto updates = status_updates(contents, TranslateOptions{}, {ip("10.0.0.1")});
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].name, "unclassed");
}

TEST(StatusUpdatesTest, EmptyTargetClearsOnlyOurs) {
  StoreContents contents;
  contents.put(ingress("a", "ours", "portico", {ip("10.0.0.1")}));
  contents.put(ingress("a", "theirs", "nginx", {ip("10.0.0.1")}));
  const std::vector<IngressStatusUpdate> expected{{"a", "ours", {}}};
  EXPECT_EQ(status_updates(contents, TranslateOptions{}, {}), expected);
}

}  // namespace
}  // namespace portico::controller::status
