// Ports of kubernetes/pkg/controller/podautoscaler/replica_calculator_test.go's CPU
// (GetResourceReplicas) cases; each test names the upstream case it mirrors. Pods are built
// as upstream builds them: two containers each, requests and usage given per container, and
// pods past the last metric level have no metrics. Upstream's "hot CPU" pods (inside the CPU
// initialization period) reach the decision as not ready, which is how the caller reports them.
#include "autoscaler/decision/cpu_replicas.h"

#include <gtest/gtest.h>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using testing::cpu_sample;
using testing::cpu_target;
using testing::hpa_default_behavior;
using testing::PodSpec;
using Phase = PodSample::Phase;

MetricProposal propose(int32_t target, int32_t current, const std::vector<PodSpec>& pods) {
  return propose_cpu(cpu_target(target), cpu_sample(pods), current, hpa_default_behavior());
}

PodSpec ready(int64_t level, int64_t request = 1000) {
  return {request, level, true};
}
PodSpec unready(int64_t level, int64_t request = 1000) {
  return {request, level, false};
}
PodSpec no_metrics(int64_t request = 1000) {
  return {request, std::nullopt, true};
}
PodSpec failed(int64_t request = 1000) {
  return {request, std::nullopt, false, Phase::kIgnored};
}
PodSpec pending(int64_t request = 1000) {
  return {request, std::nullopt, false, Phase::kPending};
}

void expect(const MetricProposal& proposal, int32_t replicas, double utilization) {
  ASSERT_TRUE(proposal.replicas.has_value()) << proposal.explanation;
  EXPECT_EQ(*proposal.replicas, replicas) << proposal.explanation;
  EXPECT_EQ(proposal.value, utilization) << proposal.explanation;
}

TEST(CpuReplicas, ScalesUp) {  // TestReplicaCalcScaleUp
  expect(propose(30, 3, {ready(300), ready(500), ready(700)}), 5, 50);
}

TEST(CpuReplicas, UnreadyPodsCountAsIdleOnAScaleUp) {  // TestReplicaCalcScaleUpUnreadyLessScale
  expect(propose(30, 3, {unready(300), ready(500), ready(700)}), 4, 60);
}

TEST(CpuReplicas, HotCpuPodsCountAsIdleOnAScaleUp) {  // TestReplicaCalcScaleUpHotCpuLessScale
  expect(propose(30, 3, {unready(300), ready(500), ready(700)}), 4, 60);
}

TEST(CpuReplicas, GivesUpAScaleUpThatUnreadyPodsWouldTurnDown) {
  // TestReplicaCalcScaleUpUnreadyNoScale and TestReplicaCalcScaleHotCpuNoScale.
  expect(propose(30, 3, {ready(400), unready(500), unready(700)}), 3, 40);
}

TEST(CpuReplicas, IgnoresFailedAndDeletedPodsOnAScaleUp) {
  // TestReplicaCalcScaleUpIgnoresFailedPods and TestReplicaCalcScaleUpIgnoresDeletionPods.
  expect(propose(30, 2, {ready(500), ready(700), failed(), failed()}), 4, 60);
}

TEST(CpuReplicas, ScalesDown) {  // TestReplicaCalcScaleDown
  expect(propose(50, 5, {ready(100), ready(300), ready(500), ready(250), ready(250)}), 3, 28);
}

TEST(CpuReplicas, LeavesUnreadyPodsOutOfAScaleDown) {
  // TestReplicaCalcScaleDownExcludeUnreadyPods and TestReplicaCalcScaleDownIgnoreHotCpuPods.
  expect(propose(50, 5, {ready(100), ready(300), ready(500), unready(250), unready(250)}), 2, 30);
}

TEST(CpuReplicas, LeavesPendingPodsOutOfAScaleDown) {  // ...ScaleDownExcludeUnscheduledPods
  expect(propose(50, 5, {ready(100), pending(), pending(), pending(), pending()}), 1, 10);
}

TEST(CpuReplicas, IgnoresFailedAndDeletedPodsOnAScaleDown) {
  // TestReplicaCalcScaleDownIgnoresFailedPods, ...IgnoresDeletionPods(_StillRunning).
  expect(propose(50, 5,
                 {ready(100), ready(300), ready(500), ready(250), ready(250), failed(), failed()}),
         3, 28);
}

TEST(CpuReplicas, HoldsWithinTolerance) {  // TestReplicaCalcTolerance
  expect(propose(100, 3, {ready(1010, 900), ready(1030, 1000), ready(1020, 1100)}), 3, 102);
}

TEST(CpuReplicas, MissingPodsUseTheirRequestOnAScaleDown) {  // TestReplicaCalcMissingMetrics
  expect(propose(100, 4, {ready(400), ready(95), no_metrics(), no_metrics()}), 3, 24);
}

TEST(CpuReplicas, MissingPodsChangeNothingAtExactlyTheTarget) {
  // TestReplicaCalcMissingMetricsNoChangeEq.
  expect(propose(100, 2, {ready(1000), no_metrics()}), 2, 100);
}

TEST(CpuReplicas, MissingPodsCountAsIdleOnAScaleUp) {
  // TestReplicaCalcMissingMetricsNoChangeGt: 190 % over two pods, one idle, is 95 %.
  expect(propose(100, 2, {ready(1900), no_metrics()}), 2, 190);
}

TEST(CpuReplicas, MissingPodsCanHoldAScaleDown) {  // TestReplicaCalcMissingMetricsNoChangeLt
  expect(propose(100, 2, {ready(600), no_metrics()}), 2, 60);
}

TEST(CpuReplicas, GivesUpAScaleDownThatMissingPodsWouldTurnUp) {
  // TestReplicaCalcMissingMetricsUnreadyChange and ...HotCpuNoChange.
  expect(propose(50, 3, {unready(100), ready(450), no_metrics()}), 3, 45);
}

TEST(CpuReplicas, ScalesUpWithUnreadyAndMissingPodsIdle) {
  // TestReplicaCalcMissingMetricsUnreadyScaleUp and ...HotCpuScaleUp.
  expect(propose(50, 3, {unready(100), ready(2000), no_metrics()}), 4, 200);
}

TEST(CpuReplicas, ScalesDownWithMissingPodsAtTheirRequest) {
  // TestReplicaCalcMissingMetricsUnreadyScaleDown.
  expect(propose(50, 4, {unready(100), ready(100), ready(100), no_metrics()}), 3, 10);
}

TEST(CpuReplicas, MissingPodsUseTheTargetWhenItIsAbove100Percent) {
  // TestReplicaCalcMissingMetricsScaleDownTargetOver100: the missing pod counts at 300 %.
  expect(
      propose(300, 4, {unready(200, 1000), ready(100, 1000), ready(100, 2000), no_metrics(2000)}),
      2, 6);
}

TEST(CpuReplicas, ASurgePodDoesNotReverseAScaleDown) {
  // TestReplicaCalcDuringRollingUpdateWithMaxSurge: three pods for two replicas.
  expect(propose(50, 2, {ready(100), ready(100), no_metrics()}), 2, 10);
}

TEST(CpuReplicas, ScalesJustOutsideTheToleranceAndHoldsJustInside) {
  // TestReplicaCalcComputedToleranceAlgImplementation: 50 % used against a target of 56 %
  // (ratio 0.89) scales 10 pods to 9; against 55 % (ratio 0.91) it holds.
  const std::vector<PodSpec> pods = {
      ready(150, 400), ready(150, 200), ready(150, 310), ready(150, 290), ready(150, 302),
      ready(150, 298), ready(150, 301), ready(150, 299), ready(150, 300), ready(150, 300)};
  expect(propose(56, 10, pods), 9, 50);
  expect(propose(55, 10, pods), 10, 50);
}

TEST(CpuReplicas, IsInvalidWithoutMetricsForAnyReadyPod) {  // TestReplicaCalcEmptyMetrics
  const MetricProposal proposal = propose(100, 3, {no_metrics(), no_metrics(), no_metrics()});
  EXPECT_FALSE(proposal.replicas.has_value());
  EXPECT_NE(proposal.explanation.find("no ready pod has CPU metrics"), std::string::npos);
}

TEST(CpuReplicas, IsInvalidWhenAPodHasNoCpuRequest) {  // TestReplicaCalcEmptyCPURequest
  const MetricProposal proposal = propose(100, 1, {ready(200, 0)});
  EXPECT_FALSE(proposal.replicas.has_value());
  EXPECT_NE(proposal.explanation.find("test-pod-0"), std::string::npos) << proposal.explanation;
  EXPECT_NE(proposal.explanation.find("CPU request"), std::string::npos) << proposal.explanation;
}

TEST(CpuReplicas, IsInvalidWithoutPods) {
  EXPECT_FALSE(propose(100, 1, {}).replicas.has_value());
}

TEST(CpuReplicas, CountsExactlyWhereDoublesWouldRoundUp) {
  // 145 % against 70 % over 14 pods is exactly 29 replicas; the HPA's (145 / 70.0) x 14 in
  // doubles comes out a hair above 29 and asks for 30.
  expect(propose(70, 14, std::vector<PodSpec>(14, ready(1450))), 29, 145);
}

TEST(CpuReplicas, HonoursPerDirectionTolerances) {
  controller::ScalingBehavior behavior = hpa_default_behavior();
  const CpuSample above = cpu_sample(std::vector<PodSpec>(10, ready(1050)));  // ratio 1.05
  EXPECT_EQ(propose_cpu(cpu_target(100), above, 10, behavior).replicas, 10);
  behavior.scale_up.tolerance = 0.01;
  EXPECT_EQ(propose_cpu(cpu_target(100), above, 10, behavior).replicas, 11);

  const CpuSample below = cpu_sample(std::vector<PodSpec>(20, ready(930)));  // ratio 0.93
  EXPECT_EQ(propose_cpu(cpu_target(100), below, 20, behavior).replicas, 20);
  behavior.scale_down.tolerance = 0.05;
  EXPECT_EQ(propose_cpu(cpu_target(100), below, 20, behavior).replicas, 19);
}

TEST(CpuReplicas, ExplainsTheComparison) {
  EXPECT_EQ(propose(70, 3, {ready(950), ready(950), ready(950)}).explanation,
            "cpu utilization 95% > 70% target");
  EXPECT_EQ(propose(70, 3, {ready(300), ready(300), ready(300)}).explanation,
            "cpu utilization 30% < 70% target");
  EXPECT_EQ(propose(70, 3, {ready(720), ready(720), ready(720)}).explanation,
            "cpu utilization 72% is within tolerance of 70% target");
  EXPECT_EQ(propose(30, 3, {unready(300), ready(500), no_metrics()}).explanation,
            "cpu utilization 50% > 30% target (1 not ready, 1 without metrics)");
}

TEST(CpuReplicas, ThresholdsStepUpAboveAndDownBelow) {
  controller::CpuMetric metric;
  metric.thresholds = controller::Thresholds{70, 30, 2};
  const auto run = [&](int64_t level) {
    return propose_cpu(metric, cpu_sample({ready(level), ready(level)}), 4, hpa_default_behavior());
  };
  EXPECT_EQ(run(850).replicas, 6);
  EXPECT_EQ(run(850).explanation, "cpu utilization 85% > 70% scale-up threshold");
  EXPECT_EQ(run(200).replicas, 2);
  EXPECT_EQ(run(200).explanation, "cpu utilization 20% < 30% scale-down threshold");
  EXPECT_EQ(run(700).replicas, 4);  // at a threshold is not above it
  EXPECT_EQ(run(500).explanation, "cpu utilization 50% is between the thresholds 30% and 70%");
}

TEST(CpuReplicas, RefusesUnusableThresholds) {
  controller::CpuMetric metric;
  metric.thresholds = controller::Thresholds{30, 70, 1};
  EXPECT_FALSE(propose_cpu(metric, cpu_sample({ready(500)}), 1, hpa_default_behavior())
                   .replicas.has_value());
  metric.thresholds = controller::Thresholds{70, 30, 0};
  EXPECT_FALSE(propose_cpu(metric, cpu_sample({ready(500)}), 1, hpa_default_behavior())
                   .replicas.has_value());
}

}  // namespace
}  // namespace portico::autoscaler
