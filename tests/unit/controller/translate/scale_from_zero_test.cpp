// Which Services hold requests at zero endpoints: only the queue-depth Services of policies
// that allow zero replicas, and the resolver puts that on their backends.
#include "controller/translate/scale_from_zero.h"

#include <gtest/gtest.h>

#include "controller/translate/backend_resolver.h"
#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using namespace std::chrono_literals;
using test_support::contents_from_yaml;
using test_support::service_yaml;

// A policy in demo scaling Deployment `target` on the queue depth of `service`.
std::string policy_yaml(const std::string& name, const std::string& service, int min_replicas,
                        const std::string& scale_to_zero = "") {
  return "---\napiVersion: autoscaling.portico.io/v1alpha1\nkind: ScalingPolicy\nmetadata: "
         "{name: " +
         name + ", namespace: demo}\nspec:\n  targetRef: {kind: Deployment, name: " + name +
         "}\n  minReplicas: " + std::to_string(min_replicas) +
         "\n  maxReplicas: 5\n  metrics:\n  - cpu: {targetUtilization: 70}\n"
         "  - queueDepth: {service: " +
         service + ", targetPerReplica: 10}\n" +
         (scale_to_zero.empty() ? "" : "  scaleToZero: " + scale_to_zero + "\n");
}

TEST(ScaleFromZeroTest, OnlyQueueDepthServicesOfPoliciesAllowingZeroAreHeld) {
  const StoreContents contents = contents_from_yaml(
      policy_yaml("web", "web", 0, "{after: 60s, queueSize: 7, queueTimeout: 1500ms}") +
      policy_yaml("api", "api", 1));
  const auto held = services_held_when_empty(contents);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held.at("demo/web"), (proxy::HoldWhenEmpty{7, 1500ms}));
}

TEST(ScaleFromZeroTest, TwoPoliciesOnOneServiceKeepTheLargerQueueAndLongerTimeout) {
  const StoreContents contents =
      contents_from_yaml(policy_yaml("a", "shared", 0, "{queueSize: 7, queueTimeout: 9s}") +
                         policy_yaml("b", "shared", 0, "{queueSize: 50, queueTimeout: 2s}"));
  EXPECT_EQ(services_held_when_empty(contents).at("demo/shared"), (proxy::HoldWhenEmpty{50, 9s}));
}

TEST(ScaleFromZeroTest, TheResolverSetsHoldingModeOnTheHeldServicesBackends) {
  const StoreContents contents = contents_from_yaml(service_yaml("demo", "web", 80, "http", "") +
                                                    service_yaml("demo", "api", 80, "http", "") +
                                                    policy_yaml("web", "web", 0));
  proxy::EndpointStateRegistry registry;
  WarningList warnings;
  BackendResolver resolver(contents, registry, warnings);
  const auto web = resolver.resolve("demo", IngressBackend{"web", PortRef{80, ""}}, "demo/i", {});
  const auto api = resolver.resolve("demo", IngressBackend{"api", PortRef{80, ""}}, "demo/i", {});
  ASSERT_TRUE(web && api);
  EXPECT_EQ(web->hold_when_empty, (proxy::HoldWhenEmpty{100, 60s})) << "the documented defaults";
  EXPECT_FALSE(api->hold_when_empty);
}

}  // namespace
}  // namespace portico::controller
