// Totals against a target per replica: ports of replica_calculator_test.go's external and
// object per-pod (AverageValue) cases, which share GetExternalPerPodMetricReplicas' rule.
// Upstream levels are milli-units: 8600 there is a total of 8.6 here.
#include "autoscaler/decision/total_replicas.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using testing::hpa_default_behavior;

MetricProposal propose(double total, double target, int32_t current, int32_t ready) {
  const TotalMetricSpec spec{"queueDepth", "queue depth", target, std::nullopt};
  return propose_total(spec, TotalSample{total}, current, ready, hpa_default_behavior());
}

TEST(TotalReplicas, ScalesUpToTotalOverTarget) {  // TestReplicaCalcScaleUpPerPodCMExternal
  const MetricProposal proposal = propose(8.6, 2.15, 3, 3);
  EXPECT_EQ(proposal.replicas, 4);
  ASSERT_TRUE(proposal.value.has_value());
  EXPECT_NEAR(*proposal.value, 2.867, 0.001);
}

TEST(TotalReplicas, ScalesDownToTotalOverTarget) {  // TestReplicaCalcScaleDownPerPodCMExternal
  EXPECT_EQ(propose(8.6, 2.867, 5, 5).replicas, 3);
}

TEST(TotalReplicas, HoldsWithinTolerance) {  // TestReplicaCalcTolerancePerPodCMExternal
  EXPECT_EQ(propose(8.6, 2.9, 3, 3).replicas, 3);
}

TEST(TotalReplicas, MatchesTheObjectPerPodCases) {
  EXPECT_EQ(propose(20, 5, 3, 3).replicas, 4);      // TestReplicaCalcScaleUpCMPerPodObject
  EXPECT_EQ(propose(6, 2, 5, 5).replicas, 3);       // TestReplicaCalcScaleDownPerPodCMObject
  EXPECT_EQ(propose(20.166, 5, 4, 4).replicas, 4);  // TestReplicaCalcTolerancePerPodCMObject
}

TEST(TotalReplicas, MeetsATenfoldStepInOneProposal) {
  // 3 replicas at target, then ten times the load: straight to 30, not 6 then 12 then 24.
  EXPECT_EQ(propose(30, 10, 3, 3).replicas, 3);
  EXPECT_EQ(propose(300, 10, 3, 3).replicas, 30);
}

TEST(TotalReplicas, ComparesPerReadyReplica) {
  // 6 replicas of which 3 are ready: 57 over 3 ready is above target, but 6 already suffice.
  EXPECT_EQ(propose(57, 10, 6, 3).replicas, 6);
  // No ready replica yet: the total counts as one replica's.
  EXPECT_EQ(propose(57, 10, 2, 0).replicas, 6);
}

TEST(TotalReplicas, AtZeroProposesTotalOverTargetWithoutTolerance) {
  // getUsageRatioReplicaCount with currentReplicas 0.
  EXPECT_EQ(propose(10.5, 10, 0, 0).replicas, 2);
  EXPECT_EQ(propose(3, 10, 0, 0).replicas, 1);
  EXPECT_EQ(propose(0, 10, 0, 0).replicas, 0);
}

TEST(TotalReplicas, CountsInExactMilliUnits) {
  EXPECT_EQ(propose(0.3, 0.1, 1, 1).replicas, 3);  // 0.3 / 0.1 in doubles is 2.9999999999999996
  EXPECT_EQ(propose(1e18, 1, 1, 1).replicas, std::numeric_limits<int32_t>::max());
}

TEST(TotalReplicas, IsInvalidForNegativeOrNonFiniteTotals) {
  EXPECT_FALSE(propose(-1, 10, 3, 3).replicas.has_value());
  EXPECT_FALSE(propose(std::nan(""), 10, 3, 3).replicas.has_value());
  EXPECT_FALSE(propose(std::numeric_limits<double>::infinity(), 10, 3, 3).replicas.has_value());
  EXPECT_FALSE(propose(5, 0, 3, 3).replicas.has_value());
}

TEST(TotalReplicas, ExplainsTheComparison) {
  EXPECT_EQ(propose(57, 10, 3, 3).explanation, "queue depth 57 > 10 per replica x 3");
  EXPECT_EQ(propose(12, 10, 3, 3).explanation, "queue depth 12 < 10 per replica x 3");
  EXPECT_EQ(propose(31, 10, 3, 3).explanation,
            "queue depth 31 is within tolerance of 10 per replica x 3");
  EXPECT_EQ(propose(57, 10, 0, 0).explanation, "queue depth 57 at zero replicas, 10 per replica");
}

TEST(TotalReplicas, ThresholdsApplyToTheValuePerReadyReplica) {
  const TotalMetricSpec spec{"prometheus", "prometheus value", std::nullopt,
                             controller::Thresholds{15, 5, 1}};
  const auto run = [&](double total) {
    return propose_total(spec, TotalSample{total}, 4, 4, hpa_default_behavior());
  };
  EXPECT_EQ(run(80).replicas, 5);
  EXPECT_EQ(run(80).explanation, "prometheus value 20 per replica > 15 scale-up threshold");
  EXPECT_EQ(run(10).replicas, 3);
  EXPECT_EQ(run(10).explanation, "prometheus value 2.5 per replica < 5 scale-down threshold");
  EXPECT_EQ(run(40).replicas, 4);
}

// Just above the level the proposal is a scale-up; at it, none. "Just above" is a millionth:
// the signal fires its one evaluation per rise the moment it passes the level, and an
// evaluation that then proposes nothing leaves the scale-up to the next tick.
void expect_scale_up_level(const TotalMetricSpec& spec, int32_t current, int32_t ready) {
  const double level = total_scale_up_level(spec, current, ready, hpa_default_behavior());
  SCOPED_TRACE(::testing::Message()
               << "current " << current << ", ready " << ready << ", level " << level);
  const auto proposed = [&](double total) {
    return *propose_total(spec, TotalSample{total}, current, ready, hpa_default_behavior())
                .replicas;
  };
  EXPECT_LE(proposed(level), current);
  EXPECT_GT(proposed(level + 1e-6), current);
}

TEST(TotalReplicas, ScaleUpLevelIsWhereTheProposalRises) {
  const TotalMetricSpec target{"queueDepth", "queue depth", 7.0, std::nullopt};
  expect_scale_up_level(target, 4, 4);  // the tolerance band: 7 x 4 x 1.1
  EXPECT_DOUBLE_EQ(total_scale_up_level(target, 4, 4, hpa_default_behavior()), 30.8);
  expect_scale_up_level(target, 13, 2);  // pods starting: above 7 x 13, not 7 x 2 x 1.1
  EXPECT_DOUBLE_EQ(total_scale_up_level(target, 13, 2, hpa_default_behavior()), 91);
  expect_scale_up_level(target, 1, 0);
  const TotalMetricSpec two{"queueDepth", "queue depth", 2.0, std::nullopt};
  expect_scale_up_level(two, 3, 1);  // the peer integration test's case: 6.0004 asks for 4
  const TotalMetricSpec fraction{"queueDepth", "queue depth", 0.3, std::nullopt};
  expect_scale_up_level(fraction, 7, 2);
  const TotalMetricSpec thresholds{"queueDepth", "queue depth", std::nullopt,
                                   controller::Thresholds{15, 5, 1}};
  expect_scale_up_level(thresholds, 4, 4);
  EXPECT_DOUBLE_EQ(total_scale_up_level(thresholds, 4, 4, hpa_default_behavior()), 60);
}

TEST(TotalReplicas, ScaleUpLevelAtZeroIsAnyRequestAndUnusableSpecsNeverRise) {
  const TotalMetricSpec target{"queueDepth", "queue depth", 7.0, std::nullopt};
  EXPECT_EQ(total_scale_up_level(target, 0, 0, hpa_default_behavior()), 0);
  const TotalMetricSpec no_target{"queueDepth", "queue depth", 0.0, std::nullopt};
  EXPECT_EQ(total_scale_up_level(no_target, 3, 3, hpa_default_behavior()),
            std::numeric_limits<double>::infinity());
  const TotalMetricSpec bad_thresholds{"queueDepth", "queue depth", std::nullopt,
                                       controller::Thresholds{5, 15, 1}};
  EXPECT_EQ(total_scale_up_level(bad_thresholds, 3, 3, hpa_default_behavior()),
            std::numeric_limits<double>::infinity());
}

}  // namespace
}  // namespace portico::autoscaler
