// Pods as the HPA's groupPods sorts them for the CPU metric, and the HPA conflict check's
// reading of an HPA list.
#include "autoscaler/loop/cpu_sampler.h"

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "autoscaler/loop/hpa_conflict.h"

namespace portico::autoscaler {
namespace {

using namespace std::chrono_literals;
using controller::Pod;
using controller::metrics::PodUsage;

const std::chrono::system_clock::time_point kNow =
    std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 56);

Pod pod(const std::string& name, const std::string& phase, bool ready,
        std::chrono::seconds started_ago, std::chrono::seconds ready_ago,
        std::vector<std::string> requests = {"250m", "250m"}) {
  Pod result;
  result.meta.name = name;
  result.phase = phase;
  result.ready = ready;
  result.start_time = kNow - started_ago;
  result.ready_transition = kNow - ready_ago;
  for (const std::string& request : requests) result.containers.push_back({"c", request});
  return result;
}

PodUsage usage(const std::string& name, int64_t milli, std::chrono::seconds ago = 0s) {
  return PodUsage{"shop", name, milli, kNow - ago};
}

TEST(CpuSamplerTest, GroupsPodsAsTheHpaDoes) {
  const CpuSample sample = cpu_sample_of(
      {pod("steady", "Running", true, 1h, 50min), pod("pending", "Pending", false, 10s, 10s),
       pod("failed", "Failed", false, 1h, 1h), pod("warming", "Running", true, 60s, 5s),
       pod("unready-old", "Running", false, 1h, 10s),
       pod("never-ready", "Running", false, 1h, 59min + 50s),
       pod("no-metrics", "Running", true, 1h, 1h)},
      {usage("steady", 300), usage("warming", 400), usage("unready-old", 100),
       usage("never-ready", 0)},
      kNow);
  ASSERT_EQ(sample.pods.size(), 7u);
  EXPECT_TRUE(sample.pods[0].ready);
  EXPECT_EQ(sample.pods[0].cpu_usage_milli, 300);
  EXPECT_EQ(sample.pods[0].cpu_request_milli, 500);
  EXPECT_EQ(sample.pods[1].phase, PodSample::Phase::kPending);
  EXPECT_EQ(sample.pods[2].phase, PodSample::Phase::kIgnored);
  EXPECT_FALSE(sample.pods[3].ready) << "its sample's window began before it was ready";
  EXPECT_TRUE(sample.pods[4].ready) << "was ready after start-up: a blip, its CPU counts";
  EXPECT_FALSE(sample.pods[5].ready) << "not ready since start-up";
  EXPECT_FALSE(sample.pods[6].cpu_usage_milli);
}

TEST(CpuSamplerTest, APodBeingDeletedIsLeftOutAsTheHpaLeavesItOut) {
  // A rollout's old pod, terminating without metrics: counted, it would be a missing pod at
  // 100 % of its request on a scale-down.
  Pod leaving = pod("leaving", "Running", true, 1h, 1h);
  leaving.deleting = true;
  const CpuSample sample = cpu_sample_of({leaving}, {}, kNow);
  ASSERT_EQ(sample.pods.size(), 1u);
  EXPECT_EQ(sample.pods[0].phase, PodSample::Phase::kIgnored);
}

TEST(CpuSamplerTest, AContainerWithoutARequestZeroesThePodsRequest) {
  const CpuSample sample =
      cpu_sample_of({pod("a", "Running", true, 1h, 1h, {"250m", ""})}, {usage("a", 10)}, kNow);
  EXPECT_EQ(sample.pods[0].cpu_request_milli, 0);
}

TEST(HpaConflictTest, FindsTheHpaScalingTheDeployment) {
  const std::string list =
      R"({"kind":"HorizontalPodAutoscalerList","metadata":{"resourceVersion":"5"},"items":[)"
      R"({"metadata":{"name":"api"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"api"}}},)"
      R"({"metadata":{"name":"web-hpa"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"}}}]})";
  EXPECT_EQ(hpa_targeting(list, "web").value(), std::optional<std::string>("web-hpa"));
  EXPECT_EQ(hpa_targeting(list, "cart").value(), std::nullopt);
  EXPECT_FALSE(hpa_targeting("{not json", "web").ok());
}

std::shared_ptr<const controller::ScalingPolicy> policy_of(
    const std::string& name, const std::string& deployment,
    std::optional<std::chrono::system_clock::time_point> created) {
  auto policy = std::make_shared<controller::ScalingPolicy>();
  policy->meta.namespace_ = "shop";
  policy->meta.name = name;
  policy->meta.creation_timestamp = created;
  policy->target_name = deployment;
  return policy;
}

TEST(PolicyConflictTest, TheOldestPolicyOfADeploymentScalesIt) {
  std::map<std::string, std::shared_ptr<const controller::ScalingPolicy>> policies;
  for (const auto& policy :
       {policy_of("a-new", "web", kNow), policy_of("z-old", "web", kNow - 1h),
        policy_of("unknown-age", "web", std::nullopt), policy_of("other", "cart", kNow)}) {
    policies["shop/" + policy->meta.name] = policy;
  }
  EXPECT_EQ(older_policy_for_target(policies, *policies.at("shop/z-old")), std::nullopt);
  EXPECT_EQ(older_policy_for_target(policies, *policies.at("shop/a-new")), "z-old");
  EXPECT_EQ(older_policy_for_target(policies, *policies.at("shop/unknown-age")), "z-old");
  EXPECT_EQ(older_policy_for_target(policies, *policies.at("shop/other")), std::nullopt);
  // The same age: the name decides, the same way on every replica.
  policies["shop/b-same"] = policy_of("b-same", "web", kNow);
  EXPECT_EQ(older_policy_for_target(policies, *policies.at("shop/b-same")), "z-old");
  policies.erase("shop/z-old");
  EXPECT_EQ(older_policy_for_target(policies, *policies.at("shop/b-same")), "a-new");
}

}  // namespace
}  // namespace portico::autoscaler
