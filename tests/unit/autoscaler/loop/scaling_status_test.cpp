// The status the autoscaler patches: condition transition times move only when a status
// flips, targets read as the user wrote them, and the patch carries every field.
#include "autoscaler/loop/scaling_status.h"

#include <gtest/gtest.h>

#include <cpprest/json.h>

namespace portico::autoscaler {
namespace {

using std::chrono::hours;

TEST(ScalingStatusTest, TransitionTimesMoveOnlyWhenTheStatusFlips) {
  std::vector<TrackedCondition> kept;
  const WallTime first = WallTime{} + hours(1);
  update_conditions(kept, {{"ScalingActive", true, "ValidMetricFound", "a"}}, first);
  update_conditions(kept, {{"ScalingActive", true, "ValidMetricFound", "b"}}, first + hours(1));
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].last_transition, first);
  EXPECT_EQ(kept[0].condition.message, "b");
  update_conditions(kept, {{"ScalingActive", false, "InvalidMetric", "c"}}, first + hours(2));
  EXPECT_EQ(kept[0].last_transition, first + hours(2));
}

TEST(ScalingStatusTest, TargetsReadAsWritten) {
  EXPECT_EQ(target_text(controller::CpuMetric{70, std::nullopt}), "70%");
  EXPECT_EQ(target_text(controller::QueueDepthMetric{"web", 10.0, std::nullopt}), "10 per replica");
  EXPECT_EQ(target_text(controller::CpuMetric{std::nullopt, controller::Thresholds{70, 30, 2}}),
            "above 70, below 30, step 2");
}

TEST(ScalingStatusTest, ThePatchCarriesEveryField) {
  controller::ScalingPolicy policy;
  policy.metrics = {controller::CpuMetric{70, std::nullopt},
                    controller::QueueDepthMetric{"web", 10.0, std::nullopt}};
  PolicyStatus status;
  status.current_replicas = 3;
  status.desired_replicas = 5;
  status.metrics = {MetricProposal{"cpu", 91.5, 4, ""}, MetricProposal{"queueDepth", {}, {}, ""}};
  update_conditions(status.conditions, {{"AbleToScale", true, "ReadyForNewScale", "ok"}},
                    WallTime{} + hours(24 * 365 * 56));
  const auto patch = web::json::value::parse(status_patch(policy, status)).at("status");
  EXPECT_EQ(patch.at("currentReplicas").as_integer(), 3);
  EXPECT_EQ(patch.at("desiredReplicas").as_integer(), 5);
  EXPECT_TRUE(patch.at("lastScaleTime").is_null()) << "never scaled: cleared, not left over";
  EXPECT_EQ(patch.at("currentMetrics").at(0).at("name").as_string(), "cpu");
  EXPECT_EQ(patch.at("currentMetrics").at(0).at("value").as_string(), "91.5");
  EXPECT_EQ(patch.at("currentMetrics").at(1).at("name").as_string(), "queueDepth/web");
  EXPECT_EQ(patch.at("currentMetrics").at(1).at("value").as_string(), "unknown");
  const auto condition = patch.at("conditions").at(0);
  EXPECT_EQ(condition.at("status").as_string(), "True");
  EXPECT_EQ(condition.at("reason").as_string(), "ReadyForNewScale");
  EXPECT_EQ(condition.at("lastTransitionTime").as_string().substr(0, 4), "2025");
}

TEST(ScalingStatusTest, TellsFromAPolicysStatusWhetherZeroWasTheAutoscalersChoice) {
  const auto policy_with_reason = [](const std::string& reason) {
    return R"({"metadata":{"name":"web"},"status":{"conditions":[)"
           R"({"type":"AbleToScale","status":"True","reason":"SucceededRescale"},)"
           R"({"type":"ScalingActive","status":"False","reason":")" +
           reason + R"("}]}})";
  };
  for (const char* reason : {"ScaleToZero", "ScaledToZero", "ScaleFromZero"}) {
    EXPECT_TRUE(status_says_zero_was_chosen(policy_with_reason(reason))) << reason;
  }
  EXPECT_FALSE(status_says_zero_was_chosen(policy_with_reason("ScalingDisabled")));
  EXPECT_FALSE(status_says_zero_was_chosen(R"({"metadata":{"name":"web"}})"));
  EXPECT_FALSE(status_says_zero_was_chosen(R"({"status":{"conditions":"ScaledToZero"}})"));
  EXPECT_FALSE(status_says_zero_was_chosen("not json"));
}

}  // namespace
}  // namespace portico::autoscaler
