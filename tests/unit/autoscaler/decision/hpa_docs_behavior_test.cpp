// The behavior examples of the HorizontalPodAutoscaler documentation
// (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/, "Configurable scaling
// behavior"), replayed through decide_replicas on a virtual clock: each decision's count is
// applied at once and its scale event recorded, as the autoscaler loop does after a write.
#include <gtest/gtest.h>

#include <functional>
#include <utility>
#include <vector>

#include "autoscaler/decision/replica_decision.h"
#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using controller::SelectPolicy;
using testing::at;
using testing::percent;
using testing::pods;
using testing::policy_with;
using testing::queue_target;

// (seconds, replicas) at the start and at every change.
using Trace = std::vector<std::pair<int, int32_t>>;

// Decisions every `step` seconds for `duration` seconds. The metric is a queue depth with a
// target of 1 per replica, so a total of N asks for N replicas.
Trace replay(const controller::ScalingPolicy& policy, int32_t start, int step, int duration,
             const std::function<double(int)>& total_at) {
  RecommendationHistory history;
  int32_t current = start;
  Trace trace = {{0, current}};
  for (int t = 0; t <= duration; t += step) {
    DecisionInput input;
    input.policy = &policy;
    input.current_replicas = current;
    input.ready_replicas = current;
    input.samples = {TotalSample{total_at(t)}};
    input.history = std::move(history);
    input.now = at(t);
    Decision decision = decide_replicas(input);
    history = std::move(decision.history);
    if (decision.desired_replicas != current) {
      record_scale_event(history, policy.behavior, current, decision.desired_replicas, input.now);
      current = decision.desired_replicas;
      trace.push_back({t, current});
    }
  }
  return trace;
}

std::vector<int32_t> counts(const Trace& trace) {
  std::vector<int32_t> result;
  for (const auto& [seconds, replicas] : trace) result.push_back(replicas);
  return result;
}

controller::ScalingPolicy queue_policy(int32_t min, int32_t max) {
  return policy_with({queue_target(1)}, min, max);
}

TEST(HpaDocsBehavior, ScaleDownPoliciesTakeTheLargestChange) {
  // "Scaling policies": Pods 4 and Percent 10 per 60 s, selectPolicy Max. From 80 to 10, the
  // first step removes 8; at 72, 10 % is 7.2 and 8 go; below 40 the Pods policy wins and
  // 4 go at a time.
  auto policy = queue_policy(1, 100);
  policy.behavior.scale_down = {0, {pods(4, 60), percent(10, 60)}, SelectPolicy::kMax, 0.1};
  const std::vector<int32_t> expected = {80, 72, 64, 57, 51, 45, 40, 36,
                                         32, 28, 24, 20, 16, 12, 10};
  const Trace every_minute = replay(policy, 80, 60, 1800, [](int) { return 10; });
  EXPECT_EQ(counts(every_minute), expected);
  // Deciding every 15 s changes nothing: the policies bound each 60 s period.
  const Trace every_15s = replay(policy, 80, 15, 1800, [](int) { return 10; });
  EXPECT_EQ(every_15s, every_minute);
}

TEST(HpaDocsBehavior, SelectMinTakesTheSmallestChange) {
  // "Limit scale down": at most 10 % per minute, and with a second policy of 5 Pods per
  // minute and selectPolicy Min, never more than 5 Pods per minute either.
  auto policy = queue_policy(1, 100);
  policy.behavior.scale_down = {0, {percent(10, 60), pods(5, 60)}, SelectPolicy::kMin, 0.1};
  std::vector<int32_t> expected = {80, 75, 70, 65, 60, 55, 50, 45, 40, 36,
                                   32, 28, 25, 22, 19, 17, 15, 13, 11};
  // At 11 replicas a load worth 10 is within the default 10 % tolerance: 11 stays.
  EXPECT_EQ(counts(replay(policy, 80, 60, 1800, [](int) { return 10; })), expected);
  policy.behavior.scale_down.tolerance = 0;
  expected.push_back(10);
  EXPECT_EQ(counts(replay(policy, 80, 60, 1800, [](int) { return 10; })), expected);
}

TEST(HpaDocsBehavior, DefaultScaleUpDoublesOrAddsFourEvery15Seconds) {
  // "Default Behavior": scale up by 100 % or 4 Pods, whichever is more, every 15 s.
  const Trace trace = replay(queue_policy(1, 100), 1, 15, 120, [](int) { return 100; });
  EXPECT_EQ(trace, (Trace{{0, 1}, {0, 5}, {15, 10}, {30, 20}, {45, 40}, {60, 80}, {75, 100}}));
}

TEST(HpaDocsBehavior, ScaleDownWaitsForTheStabilizationWindow) {
  // "Stabilization window": scaleDown.stabilizationWindowSeconds 300 (the default) uses the
  // highest recommendation of the last 5 minutes, the starting count among them.
  const Trace trace = replay(queue_policy(1, 100), 10, 15, 900, [](int) { return 4; });
  EXPECT_EQ(trace, (Trace{{0, 10}, {300, 4}}));
}

TEST(HpaDocsBehavior, ABriefRiseInsideTheWindowHoldsTheCountUpWhileItIsInTheWindow) {
  const Trace trace =
      replay(queue_policy(1, 100), 10, 15, 900, [](int t) { return t == 120 ? 8 : 4; });
  EXPECT_EQ(trace, (Trace{{0, 10}, {300, 8}, {420, 4}}));
}

TEST(HpaDocsBehavior, DisabledScaleDownNeverScalesDown) {
  // "Disable scale down": selectPolicy Disabled.
  auto policy = queue_policy(1, 100);
  policy.behavior.scale_down.select = SelectPolicy::kDisabled;
  policy.behavior.scale_down.policies.clear();
  EXPECT_EQ(replay(policy, 10, 15, 3600, [](int) { return 1; }), (Trace{{0, 10}}));
}

TEST(HpaDocsBehavior, ScaleUpStabilizationTakesTheLowestRecentRecommendation) {
  // scaleUp.stabilizationWindowSeconds 60: a one-sample spike moves nothing; a sustained
  // rise moves the count once it has lasted the whole window.
  auto policy = queue_policy(1, 100);
  policy.behavior.scale_up.stabilization_window_seconds = 60;
  EXPECT_EQ(replay(policy, 4, 15, 300, [](int t) { return t == 60 ? 40 : 4; }), (Trace{{0, 4}}));
  EXPECT_EQ(replay(policy, 4, 15, 300, [](int t) { return t >= 60 ? 6 : 4; }),
            (Trace{{0, 4}, {105, 6}}));
}

TEST(HpaDocsBehavior, ToleranceCanDifferPerDirection) {
  // "Tolerance": scale-down tolerance 5 % and scale-up tolerance 1 % around a target of 100
  // per replica: 20 replicas scale up above 2020 and down below 1900.
  auto policy = policy_with({queue_target(100)}, 1, 100);
  policy.behavior.scale_up.tolerance = 0.01;
  policy.behavior.scale_down.tolerance = 0.05;
  policy.behavior.scale_down.stabilization_window_seconds = 0;
  const auto decide = [&](double total) {
    DecisionInput input;
    input.policy = &policy;
    input.current_replicas = 20;
    input.ready_replicas = 20;
    input.samples = {TotalSample{total}};
    input.now = at(0);
    input.history.recommendations.push_back({at(-3600), 20});
    return decide_replicas(input).desired_replicas;
  };
  EXPECT_EQ(decide(2019), 20);
  EXPECT_EQ(decide(2021), 21);
  EXPECT_EQ(decide(1902), 20);
  EXPECT_EQ(decide(1898), 19);
  // With the default 10 % both ways, all four hold.
  policy.behavior.scale_up.tolerance = 0.1;
  policy.behavior.scale_down.tolerance = 0.1;
  EXPECT_EQ(decide(2021), 20);
  EXPECT_EQ(decide(1898), 20);
}

}  // namespace
}  // namespace portico::autoscaler
