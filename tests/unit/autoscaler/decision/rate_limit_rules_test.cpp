// The rate policies' own rules beyond upstream's table: Min select, rounding, Disabled, the
// replica count at the start of a period, and the period's boundary.
#include "autoscaler/decision/rate_limits.h"

#include <gtest/gtest.h>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using controller::ScalingRules;
using controller::SelectPolicy;
using testing::at;
using testing::hpa_default_behavior;
using testing::rules;

const TimePoint kNow = at(3600);

TEST(ScaleRateLimits, MinSelectTakesTheSmallestChange) {
  ScalingRules min_rules = rules(2, 60, 50, 60, 300);
  min_rules.select = SelectPolicy::kMin;
  RecommendationHistory none;
  // TestCalculateScaleUpLimitWithScalingRules: 1 + 2 Pods = 3, 1 + 50 % = 2 (rounded up).
  EXPECT_EQ(scale_up_limit(1, none, min_rules, kNow), 2);
  // TestCalculateScaleDownLimitWithBehaviors: 5 - 2 Pods = 3, 5 - 50 % = 2 (rounded down).
  EXPECT_EQ(scale_down_limit(5, none, min_rules, kNow), 3);
}

TEST(ScaleRateLimits, PercentagesRoundTowardsMoreChange) {
  RecommendationHistory none;
  // The docs' example: at 72 replicas 10 % is 7.2, and 8 may go.
  EXPECT_EQ(scale_down_limit(72, none, rules(0, 0, 10, 60, 0), kNow), 64);
  // 1 % of 3 is 0.03, and one replica may still be added.
  EXPECT_EQ(scale_up_limit(3, none, rules(0, 0, 1, 60, 0), kNow), 4);
}

TEST(ScaleRateLimits, DisabledHoldsThatDirection) {
  ScalingRules disabled = rules(4, 15, 100, 15, 0);
  disabled.select = SelectPolicy::kDisabled;
  RecommendationHistory none;
  EXPECT_EQ(scale_up_limit(7, none, disabled, kNow), 7);
  EXPECT_EQ(scale_down_limit(7, none, disabled, kNow), 7);
  controller::ScalingBehavior behavior = hpa_default_behavior();
  behavior.scale_up = disabled;
  EXPECT_EQ(limit_rate(7, 20, 1, 100, none, behavior, kNow).replicas, 7);
}

TEST(ScaleRateLimits, PeriodStartCountsRemovalsAsWellAsAdditions) {
  // Scaled 10 -> 6 and then 6 -> 8 within the last minute: the minute started at 10, so a
  // 50 %-per-minute scale-up allows 15, not 8 + 50 %.
  RecommendationHistory history;
  history.scale_downs = {{kNow - std::chrono::seconds(40), 4}};
  history.scale_ups = {{kNow - std::chrono::seconds(20), 2}};
  EXPECT_EQ(scale_up_limit(8, history, rules(0, 0, 50, 60, 0), kNow), 15);
  EXPECT_EQ(scale_down_limit(8, history, rules(0, 0, 50, 60, 0), kNow), 5);
}

TEST(ScaleRateLimits, AnEventExactlyAPeriodOldNoLongerCounts) {
  RecommendationHistory history;
  history.scale_ups = {{kNow - std::chrono::seconds(60), 5}};
  EXPECT_EQ(scale_up_limit(10, history, rules(2, 60, 0, 0, 0), kNow), 12);
  history.scale_ups = {{kNow - std::chrono::seconds(59), 5}};
  EXPECT_EQ(scale_up_limit(10, history, rules(2, 60, 0, 0, 0), kNow), 7);
}

}  // namespace
}  // namespace portico::autoscaler
