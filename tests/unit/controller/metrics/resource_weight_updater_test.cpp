// The weight writer end to end but for the proxy: PodMetrics served by the fake API server
// over HTTP, Pods in the store, and the weights landing on the registry's endpoint states.
#include "controller/metrics/resource_weight_updater.h"

#include <atomic>

#include <gtest/gtest.h>

#include "controller/kube/rest_api_client.h"
#include "controller/metrics/resource_weight.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller::metrics {
namespace {

using portico::testing::FakeApiServer;

constexpr char kPodMetrics[] = "/apis/metrics.k8s.io/v1beta1/pods";

std::string pod_yaml(const std::string& name, const std::string& ip, const std::string& cpu) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
         ", namespace: shop}\nspec:\n  containers:\n  - name: app\n    resources: {requests: "
         "{cpu: \"" +
         cpu + "\"}}\nstatus: {phase: Running, podIP: \"" + ip + "\"}\n---\n";
}

std::string usage_json(const std::string& name, const std::string& cpu) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":"shop"},"containers":[)" +
         R"({"name":"app","usage":{"cpu":")" + cpu + R"("}}]})";
}

class ResourceWeightUpdaterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.serve_group_version("/apis/metrics.k8s.io/v1beta1", true);
    api_.start();
    kube::ClientConfig config;
    config.server = api_.url();
    auto client = kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
    StoreContents pods = test_support::contents_from_yaml(pod_yaml("idle", "10.0.0.1", "500m") +
                                                          pod_yaml("busy", "10.0.0.2", "500m") +
                                                          pod_yaml("fresh", "fd00::0:3", "1"));
    std::vector<Object> objects;
    for (const auto& [key, pod] : pods.pods) objects.emplace_back(*pod);
    store_.replace(std::move(objects));
    idle_ = registry_.acquire("10.0.0.1:8080");
    busy_ = registry_.acquire("10.0.0.2:8080");
    fresh_ = registry_.acquire("[fd00::3]:8080");
    stranger_ = registry_.acquire("10.9.9.9:8080");
  }
  void TearDown() override { client_->shutdown(); }

  ResourceWeightUpdater updater(std::function<bool()> wanted = [] { return true; }) {
    return ResourceWeightUpdater(*client_, store_, registry_, std::move(wanted),
                                 ResourceWeightOptions{std::chrono::seconds(15), 80, "shop"});
  }

  FakeApiServer api_;
  std::unique_ptr<kube::RestApiClient> client_;
  ObjectStore store_{[] {}};
  proxy::EndpointStateRegistry registry_;
  std::shared_ptr<proxy::EndpointState> idle_, busy_, fresh_, stranger_;
};

TEST_F(ResourceWeightUpdaterTest, WritesEachEndpointsWeightFromItsPodsSpareCpu) {
  api_.create(kPodMetrics, usage_json("idle", "0"));
  api_.create(kPodMetrics, usage_json("busy", "450m"));  // 90 % of 500m: over an 80 % ceiling
  updater().update_once();
  EXPECT_EQ(idle_->resource_weight.load(), kIdleResourceWeight);
  EXPECT_EQ(busy_->resource_weight.load(), 0);
  EXPECT_EQ(fresh_->resource_weight.load(), -1) << "no metrics yet";
  EXPECT_EQ(stranger_->resource_weight.load(), -1) << "no pod has that address";
}

TEST_F(ResourceWeightUpdaterTest, IPv6PodAddressesMatchTheEndpointsSpelling) {
  api_.create(kPodMetrics, usage_json("fresh", "400m"));  // 40 % of 1 core: half-way
  updater().update_once();
  EXPECT_EQ(fresh_->resource_weight.load(), kIdleResourceWeight / 2);
}

TEST_F(ResourceWeightUpdaterTest, UnreadableMetricsGiveTheStaticWeightsBack) {
  api_.create(kPodMetrics, usage_json("busy", "450m"));
  ResourceWeightUpdater writer = updater();
  writer.update_once();
  ASSERT_EQ(busy_->resource_weight.load(), 0);
  api_.serve_group_version("/apis/metrics.k8s.io/v1beta1", false);
  writer.update_once();
  EXPECT_EQ(busy_->resource_weight.load(), -1);
}

TEST_F(ResourceWeightUpdaterTest, NothingIsReadWhileNoRouteBalancesByResource) {
  api_.create(kPodMetrics, usage_json("busy", "450m"));
  std::atomic<bool> wanted = true;
  ResourceWeightUpdater writer = updater([&] { return wanted.load(); });
  writer.update_once();
  ASSERT_EQ(busy_->resource_weight.load(), 0);
  api_.clear_requests();
  wanted = false;
  writer.update_once();
  EXPECT_TRUE(api_.requests().empty());
  EXPECT_EQ(busy_->resource_weight.load(), -1) << "weights are forgotten with the last route";
}

}  // namespace
}  // namespace portico::controller::metrics
