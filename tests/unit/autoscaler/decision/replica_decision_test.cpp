// decide_replicas end to end: the maximum over metrics, the invalid-metric rule, the bounds,
// conditions, Event reasons and scale to zero. Cases ported from horizontal_test.go name
// the upstream test they mirror.
#include "autoscaler/decision/replica_decision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using testing::at;
using testing::cpu_sample;
using testing::cpu_target;
using testing::PodSpec;
using testing::policy_with;
using testing::queue_target;

PodSpec ready(int64_t level) {
  return {1000, level, true};
}

const Condition* find(const Decision& decision, const std::string& type) {
  const auto it = std::find_if(decision.conditions.begin(), decision.conditions.end(),
                               [&](const Condition& c) { return c.type == type; });
  return it == decision.conditions.end() ? nullptr : &*it;
}

void expect_condition(const Decision& decision, const std::string& type, bool status,
                      const std::string& reason) {
  const Condition* condition = find(decision, type);
  ASSERT_NE(condition, nullptr) << type;
  EXPECT_EQ(condition->status, status) << type << ": " << condition->message;
  EXPECT_EQ(condition->reason, reason) << type << ": " << condition->message;
}

// A decision that already knows the target (its initial recommendation is old news), so the
// scale-down window does not hold the first scale-down.
DecisionInput input_for(const controller::ScalingPolicy& policy, int32_t current,
                        std::vector<MetricSample> samples, TimePoint now = at(1000)) {
  DecisionInput input;
  input.policy = &policy;
  input.current_replicas = current;
  input.ready_replicas = current;
  input.samples = std::move(samples);
  input.now = now;
  input.history.recommendations.push_back({now - std::chrono::hours(1), current});
  return input;
}

TEST(ReplicaDecision, ScalesUpOnCpu) {
  const auto policy = policy_with({cpu_target(70)}, 1, 10);
  const Decision decision =
      decide_replicas(input_for(policy, 3, {cpu_sample({ready(950), ready(950), ready(950)})}));
  EXPECT_EQ(decision.desired_replicas, 5);
  EXPECT_EQ(decision.reason, "cpu utilization 95% > 70% target");
  expect_condition(decision, "ScalingActive", true, "ValidMetricFound");
  expect_condition(decision, "ScalingLimited", false, "DesiredWithinRange");
  expect_condition(decision, "AbleToScale", true, "ReadyForNewScale");
  ASSERT_EQ(decision.proposals.size(), 1u);
  EXPECT_EQ(decision.proposals[0].metric, "cpu");
  EXPECT_EQ(decision.proposals[0].value, 95);
}

TEST(ReplicaDecision, TakesTheHighestProposal) {
  const auto policy = policy_with({cpu_target(70), queue_target(10)}, 1, 20);
  const Decision decision = decide_replicas(
      input_for(policy, 3, {cpu_sample({ready(950), ready(950), ready(950)}), TotalSample{57}}));
  EXPECT_EQ(decision.proposals[0].replicas, 5);
  EXPECT_EQ(decision.proposals[1].replicas, 6);
  EXPECT_EQ(decision.desired_replicas, 6);
  EXPECT_EQ(decision.reason, "queue depth 57 > 10 per replica x 3");
  EXPECT_EQ(find(decision, "ScalingActive")->message,
            "the autoscaler computed the replica count from queueDepth");
}

TEST(ReplicaDecision, ScalesUpWhenAnotherMetricIsInvalid) {
  // TestScaleUpOneMetricEmpty: CPU asks for 4, the external metric cannot be read.
  const auto policy = policy_with({cpu_target(30), queue_target(0.1)}, 2, 6);
  const Decision decision = decide_replicas(input_for(
      policy, 3,
      {cpu_sample({ready(300), ready(400), ready(500)}), InvalidSample{"something went wrong"}}));
  EXPECT_EQ(decision.desired_replicas, 4);
  expect_condition(decision, "ScalingActive", true, "ValidMetricFound");
  EXPECT_NE(find(decision, "ScalingActive")->message.find("1 of 2 metrics invalid"),
            std::string::npos);
}

TEST(ReplicaDecision, NeverScalesDownWhileAMetricIsInvalid) {
  // TestNoScaleDownOneMetricInvalid / TestNoScaleDownOneMetricEmpty: CPU alone would go to 3.
  const auto policy = policy_with({cpu_target(50), queue_target(1)}, 2, 6);
  const auto input =
      input_for(policy, 5,
                {cpu_sample({ready(100), ready(300), ready(500), ready(250), ready(250)}),
                 InvalidSample{"no Portico replica answered"}});
  const Decision decision = decide_replicas(input);
  EXPECT_EQ(decision.proposals[0].replicas, 3);
  EXPECT_EQ(decision.desired_replicas, 5);
  expect_condition(decision, "ScalingActive", false, "InvalidMetric");
  EXPECT_EQ(decision.reason,
            "no scale-down while queueDepth is invalid: no Portico replica answered");
  // The HPA records no recommendation when it gives up on the metrics.
  EXPECT_EQ(decision.history.recommendations.size(), input.history.recommendations.size());
}

TEST(ReplicaDecision, HoldsWhenEveryMetricIsInvalid) {
  const auto policy = policy_with({cpu_target(50)}, 1, 6);
  const Decision decision =
      decide_replicas(input_for(policy, 4, {InvalidSample{"metrics.k8s.io unavailable"}}));
  EXPECT_EQ(decision.desired_replicas, 4);
  expect_condition(decision, "ScalingActive", false, "InvalidMetric");
  EXPECT_EQ(find(decision, "ScalingActive")->message,
            "the autoscaler could not compute a replica count from cpu: metrics.k8s.io "
            "unavailable");
  EXPECT_EQ(find(decision, "ScalingLimited"), nullptr);
}

TEST(ReplicaDecision, AMissingOrMismatchedSampleIsInvalid) {
  const auto policy = policy_with({cpu_target(50), queue_target(10)}, 1, 6);
  const Decision decision = decide_replicas(input_for(policy, 4, {TotalSample{3}}));
  EXPECT_FALSE(decision.proposals[0].replicas.has_value());
  EXPECT_FALSE(decision.proposals[1].replicas.has_value());
  EXPECT_EQ(decision.desired_replicas, 4);
}

TEST(ReplicaDecision, ClampsToMinReplicas) {  // TestMinReplicas
  const auto policy = policy_with({cpu_target(90)}, 2, 5);
  const Decision decision = decide_replicas(input_for(policy, 3, {cpu_sample({ready(100)})}));
  EXPECT_EQ(decision.desired_replicas, 2);
  expect_condition(decision, "ScalingLimited", true, "TooFewReplicas");
}

TEST(ReplicaDecision, ClampsToMaxReplicas) {  // TestMaxReplicas
  const auto policy = policy_with({cpu_target(30)}, 2, 5);
  const Decision decision =
      decide_replicas(input_for(policy, 3, {cpu_sample({ready(950), ready(950), ready(950)})}));
  EXPECT_EQ(decision.desired_replicas, 5);
  expect_condition(decision, "ScalingLimited", true, "TooManyReplicas");
  EXPECT_EQ(decision.reason,
            "cpu utilization 95% > 30% target; limited to 5: the desired replica count is more "
            "than the maximum replica count");
}

TEST(ReplicaDecision, BringsACountAboveMaxBackAtOnce) {  // TestTooManyReplicas
  const auto policy = policy_with({cpu_target(50)}, 3, 5);
  const Decision decision = decide_replicas(input_for(policy, 10, {cpu_sample({ready(500)})}));
  EXPECT_EQ(decision.desired_replicas, 5);
  EXPECT_EQ(decision.reason, "current replicas 10 > maxReplicas 5");
  expect_condition(decision, "ScalingLimited", true, "TooManyReplicas");
}

TEST(ReplicaDecision, BringsACountBelowMinBackAtOnce) {  // TestTooFewReplicas
  const auto policy = policy_with({cpu_target(50)}, 3, 5);
  const Decision decision = decide_replicas(input_for(policy, 2, {cpu_sample({ready(10)})}));
  EXPECT_EQ(decision.desired_replicas, 3);
  EXPECT_EQ(decision.reason, "current replicas 2 < minReplicas 3");
  expect_condition(decision, "ScalingLimited", true, "TooFewReplicas");
}

TEST(ReplicaDecision, ZeroReplicasWithANonZeroMinimumDisablesScaling) {  // TestZeroReplicas
  const auto policy = policy_with({cpu_target(50)}, 3, 5);
  const Decision decision = decide_replicas(input_for(policy, 0, {cpu_sample({})}));
  EXPECT_EQ(decision.desired_replicas, 0);
  expect_condition(decision, "ScalingActive", false, "ScalingDisabled");
}

TEST(ReplicaDecision, AZeroThisAutoscalerChoseIsLeftForTheMinimum) {
  // Scaled to zero under minReplicas 0, then the policy was edited to minReplicas 3: zero was
  // not a user's pause, and requests no longer held would otherwise all be refused.
  const auto policy = policy_with({queue_target(10)}, 3, 5);
  DecisionInput input = input_for(policy, 0, {TotalSample{0}});
  input.scaled_to_zero = true;
  const Decision decision = decide_replicas(input);
  EXPECT_EQ(decision.desired_replicas, 3);
  EXPECT_EQ(decision.reason, "minReplicas 3 no longer allows the zero the autoscaler chose");
  expect_condition(decision, "ScalingActive", true, "ScaleFromZero");
}

TEST(ReplicaDecision, TheFirstDecisionDoesNotScaleDown) {
  // TestScaleDownStabilizeInitialSize: with no history the current count is the first
  // recommendation, and the 300 s scale-down window holds it.
  const auto policy = policy_with({cpu_target(50)}, 1, 10);
  DecisionInput input = input_for(
      policy, 5, {cpu_sample({ready(100), ready(300), ready(500), ready(250), ready(250)})});
  input.history = {};
  const Decision decision = decide_replicas(input);
  EXPECT_EQ(decision.desired_replicas, 5);
  expect_condition(decision, "AbleToScale", true, "ScaleDownStabilized");
  EXPECT_EQ(decision.reason,
            "cpu utilization 28% < 50% target; held at 5 by the 300s scale-down stabilization "
            "window");
  ASSERT_EQ(decision.history.recommendations.size(), 2u);
  EXPECT_EQ(decision.history.recommendations[0].replicas, 5);
  EXPECT_EQ(decision.history.recommendations[1].replicas, 3);
}

TEST(ReplicaDecision, ScaleEventsRecordedByTheCallerLimitTheNextDecision) {
  auto policy = policy_with({queue_target(10)}, 1, 100);
  policy.behavior.scale_up.policies = {testing::pods(2, 60)};
  DecisionInput input = input_for(policy, 2, {TotalSample{200}}, at(1000));
  const Decision first = decide_replicas(input);
  EXPECT_EQ(first.desired_replicas, 4);
  expect_condition(first, "ScalingLimited", true, "ScaleUpLimit");

  RecommendationHistory history = first.history;
  record_scale_event(history, policy.behavior, 2, 4, at(1000));
  DecisionInput next = input_for(policy, 4, {TotalSample{200}}, at(1030));
  next.history = history;
  EXPECT_EQ(decide_replicas(next).desired_replicas, 4);  // 2 already added this minute
  next.now = at(1060);
  EXPECT_EQ(decide_replicas(next).desired_replicas, 6);
}

// Scale to zero: minReplicas 0, queue depth, idle after 300 s (the model's default).
class ScaleToZeroDecision : public ::testing::Test {
 protected:
  ScaleToZeroDecision() : policy_(policy_with({queue_target(10)}, 0, 10)) {}

  DecisionInput idle_input(int32_t current, double seconds_since_request) {
    DecisionInput input = input_for(policy_, current, {TotalSample{0}});
    input.last_request = input.now - std::chrono::seconds(int64_t(seconds_since_request));
    input.last_active = input.last_request;
    return input;
  }

  controller::ScalingPolicy policy_;
};

TEST_F(ScaleToZeroDecision, GoesToZeroAfterTheIdlePeriod) {
  const Decision decision = decide_replicas(idle_input(3, 300));
  EXPECT_EQ(decision.desired_replicas, 0);
  EXPECT_EQ(decision.reason, "no requests for 300s (scaleToZero.after 300s) and none in flight");
  expect_condition(decision, "ScalingActive", true, "ScaleToZero");
}

TEST_F(ScaleToZeroDecision, NotBeforeTheIdlePeriod) {
  const Decision decision = decide_replicas(idle_input(3, 299));
  EXPECT_EQ(decision.desired_replicas, 1);  // the metrics alone never propose 0
  expect_condition(decision, "ScalingLimited", true, "TooFewReplicas");
}

TEST_F(ScaleToZeroDecision, NeverWithRequestsInFlight) {
  DecisionInput input = idle_input(3, 3600);
  input.requests_in_flight = 1;
  EXPECT_EQ(decide_replicas(input).desired_replicas, 1);
}

TEST_F(ScaleToZeroDecision, NeverWhileAMetricIsInvalid) {
  DecisionInput input = idle_input(1, 3600);
  input.samples = {InvalidSample{"peer scrape failed"}};
  EXPECT_EQ(decide_replicas(input).desired_replicas, 1);

  // Even when the valid metrics hold the count rather than lower it.
  controller::QueueDepthMetric held;
  held.service = "web";
  held.thresholds = controller::Thresholds{5, 0, 1};
  policy_.metrics = {held, controller::PrometheusMetric{}};
  input.samples = {TotalSample{0}, InvalidSample{"query returned no sample"}};
  EXPECT_EQ(decide_replicas(input).desired_replicas, 1);
  input.samples = {TotalSample{0}, TotalSample{0}};
  policy_.metrics = {held, held};
  EXPECT_EQ(decide_replicas(input).desired_replicas, 0);
}

TEST_F(ScaleToZeroDecision, NeverWithoutAKnownLastActivity) {
  DecisionInput input = idle_input(1, 3600);
  input.last_active.reset();
  EXPECT_EQ(decide_replicas(input).desired_replicas, 1);
}

TEST_F(ScaleToZeroDecision, StartingToWatchIsNoRequest) {
  // A new leader seeds the activity clock with the time it started watching: a target at zero
  // stays there, and one above zero is not taken down before scaleToZero.after.
  DecisionInput input = idle_input(0, 0);
  input.last_request.reset();
  EXPECT_EQ(decide_replicas(input).desired_replicas, 0);
  input.current_replicas = 2;
  EXPECT_EQ(decide_replicas(input).desired_replicas, 1);
}

// minReplicas 0 with an external backlog only (a queue worker): the backlog, not requests at
// Portico, says whether the target is needed.
TEST_F(ScaleToZeroDecision, APrometheusBacklogWakesTheTargetAndKeepsItFromZero) {
  controller::PrometheusMetric backlog;
  backlog.target_per_replica = 10;
  policy_.metrics = {backlog};
  DecisionInput input = idle_input(0, 3600);
  input.last_request.reset();
  input.samples = {TotalSample{35}};
  Decision decision = decide_replicas(input);
  EXPECT_TRUE(decision.backlog);
  EXPECT_EQ(decision.desired_replicas, 4);
  EXPECT_EQ(decision.reason, "prometheus value 35 at zero replicas, 10 per replica");
  expect_condition(decision, "ScalingActive", true, "ScaleFromZero");

  input.current_replicas = 4;
  input.samples = {TotalSample{1}};
  decision = decide_replicas(input);
  EXPECT_EQ(decision.desired_replicas, 1) << "idle for an hour, but work is waiting";
  input.samples = {TotalSample{0}};
  decision = decide_replicas(input);
  EXPECT_FALSE(decision.backlog);
  EXPECT_EQ(decision.desired_replicas, 0);
}

TEST_F(ScaleToZeroDecision, NeverWithScaleDownDisabled) {
  policy_.behavior.scale_down.select = controller::SelectPolicy::kDisabled;
  EXPECT_EQ(decide_replicas(idle_input(3, 3600)).desired_replicas, 3);
}

TEST_F(ScaleToZeroDecision, NeverWithANonZeroMinimum) {
  policy_.min_replicas = 1;
  EXPECT_EQ(decide_replicas(idle_input(1, 3600)).desired_replicas, 1);
}

TEST_F(ScaleToZeroDecision, StaysAtZeroWhileIdle) {
  const Decision decision = decide_replicas(idle_input(0, 3600));
  EXPECT_EQ(decision.desired_replicas, 0);
  expect_condition(decision, "ScalingActive", false, "ScaledToZero");
}

TEST_F(ScaleToZeroDecision, AHeldRequestWakesTheTargetAtOnce) {
  // Even with a scale-up window and a rate policy that cannot grow from zero.
  policy_.behavior.scale_up.stabilization_window_seconds = 600;
  policy_.behavior.scale_up.policies = {testing::percent(100, 60)};
  DecisionInput input = idle_input(0, 3600);
  input.requests_in_flight = 1;
  input.samples = {TotalSample{1}};
  const Decision decision = decide_replicas(input);
  EXPECT_EQ(decision.desired_replicas, 1);
  expect_condition(decision, "ScalingActive", true, "ScaleFromZero");
  EXPECT_EQ(decision.reason, "1 request waiting at zero replicas");
}

TEST_F(ScaleToZeroDecision, ARecentRequestWakesTheTarget) {
  const Decision decision = decide_replicas(idle_input(0, 10));
  EXPECT_EQ(decision.desired_replicas, 1);
  EXPECT_EQ(decision.reason, "a request 10s ago at zero replicas");
}

TEST_F(ScaleToZeroDecision, ABacklogAtZeroAsksForMoreWithinTheRatePolicies) {
  DecisionInput input = idle_input(0, 3600);
  input.requests_in_flight = 57;
  input.samples = {TotalSample{57}};
  const Decision decision = decide_replicas(input);
  // ceil(57 / 10) = 6, but the default scale-up policy adds at most 4 Pods to 0.
  EXPECT_EQ(decision.proposals[0].replicas, 6);
  EXPECT_EQ(decision.desired_replicas, 4);
  EXPECT_EQ(decision.reason,
            "57 requests waiting at zero replicas; queue depth 57 at zero replicas, 10 per "
            "replica; limited to 4: the desired replica count is increasing faster than the "
            "maximum scale rate");
}

TEST(ReplicaDecision, IsDeterministic) {
  const auto policy = policy_with({cpu_target(70), queue_target(10)}, 1, 20);
  const auto input =
      input_for(policy, 3, {cpu_sample({ready(950), ready(100), ready(700)}), TotalSample{44}});
  const Decision a = decide_replicas(input);
  const Decision b = decide_replicas(input);
  EXPECT_EQ(a.desired_replicas, b.desired_replicas);
  EXPECT_EQ(a.reason, b.reason);
  ASSERT_EQ(a.history.recommendations.size(), b.history.recommendations.size());
  EXPECT_EQ(a.history.recommendations.back().replicas, b.history.recommendations.back().replicas);
}

}  // namespace
}  // namespace portico::autoscaler
