// BackendResolver and endpoint weights: each slice endpoint takes the portico.io/weight of the
// Pod its targetRef names.
#include <map>

#include <gtest/gtest.h>

#include "controller/translate/backend_resolver.h"

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using test_support::contents_from_yaml;
using test_support::service_yaml;
using test_support::slice_yaml;

// A Pod in `ns`; `weight` is the annotation's text, "" for none.
std::string pod_yaml(const std::string& ns, const std::string& name, const std::string& weight) {
  std::string yaml =
      "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\n";
  if (!weight.empty()) yaml += "  annotations: {portico.io/weight: \"" + weight + "\"}\n";
  return yaml + "status: {phase: Running, podIP: 10.9.9.9}\n";
}

// A ready endpoint whose targetRef is `kind` `name` (in `ns` when not empty).
std::string endpoint_of(const std::string& address, const std::string& name,
                        const std::string& ns = "", const std::string& kind = "Pod") {
  std::string ref = "{kind: " + kind + ", name: " + name;
  if (!ns.empty()) ref += ", namespace: " + ns;
  return "{addresses: [\"" + address + "\"], conditions: {ready: true}, targetRef: " + ref + "}}";
}

class BackendResolverWeightTest : public ::testing::Test {
 protected:
  // demo/web:80 against `yaml` plus the Service itself; endpoint identity -> weight.
  std::map<std::string, uint32_t> weights(const std::string& yaml) {
    contents_ = contents_from_yaml(service_yaml("demo", "web", 80, "http", "") + yaml);
    resolver_ = std::make_unique<BackendResolver>(contents_, registry_, warnings_);
    const auto backend =
        resolver_->resolve("demo", IngressBackend{"web", {80, ""}}, "demo/ing", {});
    std::map<std::string, uint32_t> out;
    if (backend == nullptr) {
      ADD_FAILURE() << "no backend";
      return out;
    }
    for (const proxy::Endpoint& endpoint : backend->endpoints) {
      out[endpoint.state->identity] = endpoint.weight;
    }
    return out;
  }
  std::vector<Warning> warnings() { return std::move(warnings_).take(); }

  proxy::EndpointStateRegistry registry_;
  StoreContents contents_;
  WarningList warnings_;
  std::unique_ptr<BackendResolver> resolver_;
};

TEST_F(BackendResolverWeightTest, EachEndpointTakesItsPodsWeight) {
  const auto got = weights(
      pod_yaml("demo", "web-a", "3") + pod_yaml("demo", "web-b", "") +
      pod_yaml("demo", "web-c", "1000") +
      slice_yaml("demo", "web-1", "web", "http", 80,
                 {endpoint_of("10.0.0.1", "web-a"), endpoint_of("10.0.0.2", "web-b")}) +
      slice_yaml("demo", "web-2", "web", "http", 80,
                 {endpoint_of("10.0.0.3", "web-c"), test_support::ready_endpoint("10.0.0.4")}));
  EXPECT_EQ(
      got, (std::map<std::string, uint32_t>{
               {"10.0.0.1:80", 3}, {"10.0.0.2:80", 1}, {"10.0.0.3:80", 1000}, {"10.0.0.4:80", 1}}));
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverWeightTest, TheTargetRefNamespaceWinsOverTheSlices) {
  const auto got = weights(pod_yaml("demo", "web-a", "2") + pod_yaml("other", "web-a", "5") +
                           slice_yaml("demo", "web-1", "web", "http", 80,
                                      {endpoint_of("10.0.0.1", "web-a", "other"),
                                       endpoint_of("10.0.0.2", "web-a", "demo")}));
  EXPECT_EQ(got, (std::map<std::string, uint32_t>{{"10.0.0.1:80", 5}, {"10.0.0.2:80", 2}}));
}

TEST_F(BackendResolverWeightTest, AMissingPodOrAnotherKindOfTargetWeighsOne) {
  // The pod watch can lag the slice: its endpoint still serves, at the default weight.
  const auto got = weights(pod_yaml("demo", "web-a", "7") +
                           slice_yaml("demo", "web-1", "web", "http", 80,
                                      {endpoint_of("10.0.0.1", "not-yet"),
                                       endpoint_of("10.0.0.2", "web-a", "", "Node")}));
  EXPECT_EQ(got, (std::map<std::string, uint32_t>{{"10.0.0.1:80", 1}, {"10.0.0.2:80", 1}}));
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverWeightTest, AnInvalidWeightIsOneWithAWarningNamingThePod) {
  const auto got =
      weights(pod_yaml("demo", "web-a", "heavy") + pod_yaml("demo", "web-b", "1001") +
              pod_yaml("demo", "web-c", "2") +
              slice_yaml("demo", "web-1", "web", "http", 80,
                         {endpoint_of("10.0.0.1", "web-a"), endpoint_of("10.0.0.2", "web-b"),
                          endpoint_of("10.0.0.3", "web-c")}));
  EXPECT_EQ(got, (std::map<std::string, uint32_t>{
                     {"10.0.0.1:80", 1}, {"10.0.0.2:80", 1}, {"10.0.0.3:80", 2}}));
  const std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].kind, "Pod");
  EXPECT_EQ(list[0].object, "demo/web-a");
  EXPECT_NE(list[0].message.find("portico.io/weight"), std::string::npos) << list[0].message;
  EXPECT_NE(list[0].message.find("\"heavy\""), std::string::npos) << list[0].message;
  EXPECT_EQ(list[1].object, "demo/web-b");
  EXPECT_NE(list[1].message.find("\"1001\""), std::string::npos) << list[1].message;
}

TEST_F(BackendResolverWeightTest, WeightZeroTakesTheEndpointOutOfTheBackend) {
  const auto got =
      weights(pod_yaml("demo", "web-a", "0") + pod_yaml("demo", "web-b", "2") +
              slice_yaml("demo", "web-1", "web", "http", 80,
                         {endpoint_of("10.0.0.1", "web-a"), endpoint_of("10.0.0.2", "web-b")}));
  EXPECT_EQ(got, (std::map<std::string, uint32_t>{{"10.0.0.2:80", 2}}));
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverWeightTest, EveryEndpointAtWeightZeroLeavesNoneWithAWarning) {
  const auto got =
      weights(pod_yaml("demo", "web-a", "0") + pod_yaml("demo", "web-b", "0") +
              slice_yaml("demo", "web-1", "web", "http", 80,
                         {endpoint_of("10.0.0.1", "web-a"), endpoint_of("10.0.0.2", "web-b")}));
  EXPECT_TRUE(got.empty());
  const std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].kind, "Service");
  EXPECT_EQ(list[0].object, "demo/web");
  EXPECT_NE(list[0].message.find("portico.io/weight 0"), std::string::npos) << list[0].message;
}

}  // namespace
}  // namespace portico::controller
