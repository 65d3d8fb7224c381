// Ports of horizontal_test.go TestScalingWithRules, TestCalculateScaleUpLimitWithScalingRules
// and TestCalculateScaleDownLimitWithBehaviors. Upstream spreads past scale events uniformly
// over a period (generateEventsUniformDistribution): events {1, 5, 9} over 120 s happened
// 100, 60 and 20 s ago; {8, 12, 9, 11} over 120 s happened 105, 75, 45 and 15 s ago.
#include "autoscaler/decision/rate_limits.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using controller::ScalingRules;
using controller::SelectPolicy;
using testing::at;
using testing::hpa_default_behavior;
using testing::rules;

const TimePoint kNow = at(3600);

std::deque<RecommendationHistory::ScaleEvent> uniform(std::vector<int32_t> changes,
                                                      double period_seconds) {
  std::deque<RecommendationHistory::ScaleEvent> events;
  const double segment = period_seconds / double(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const double ago = period_seconds - segment * double(i + 1) + segment / 2;
    events.push_back(
        {kNow - std::chrono::milliseconds(static_cast<int64_t>(ago * 1000)), changes[i]});
  }
  return events;
}

struct Case {
  const char* name;
  int32_t current;
  int32_t desired;
  int32_t min;
  int32_t max;
  std::optional<ScalingRules> up;    // unset: the default scale-up rules
  std::optional<ScalingRules> down;  // unset: the default scale-down rules
  std::deque<RecommendationHistory::ScaleEvent> ups;
  std::deque<RecommendationHistory::ScaleEvent> downs;
  int32_t expected;
  std::string reason;
};

void run(const Case& c) {
  SCOPED_TRACE(c.name);
  controller::ScalingBehavior behavior = hpa_default_behavior();
  if (c.up) behavior.scale_up = *c.up;
  if (c.down) behavior.scale_down = *c.down;
  RecommendationHistory history;
  history.scale_ups = c.ups;
  history.scale_downs = c.downs;
  const RateLimited limited =
      limit_rate(c.current, c.desired, c.min, c.max, history, behavior, kNow);
  EXPECT_EQ(limited.replicas, c.expected);
  EXPECT_EQ(limited.reason, c.reason);
}

TEST(ScaleRateLimits, MatchesTheHpasScalingWithRulesTable) {
  const auto events_159 = uniform({1, 5, 9}, 120);
  const auto events_8_12_9_11 = uniform({8, 12, 9, 11}, 120);
  const Case cases[] = {
      {"prenormalized desired replicas within range",
       5,
       7,
       3,
       8,
       {},
       {},
       {},
       {},
       7,
       "DesiredWithinRange"},
      {"prenormalized desired replicas < minReplicas",
       3,
       1,
       2,
       8,
       {},
       {},
       {},
       {},
       2,
       "TooFewReplicas"},
      {"prenormalized desired replicas within range when minReplicas is 0",
       1,
       0,
       0,
       10,
       {},
       {},
       {},
       {},
       0,
       "DesiredWithinRange"},
      {"maxReplicas is the limit because maxReplicas < scaleUpLimit",
       20,
       1000,
       1,
       10,
       {},
       {},
       {},
       {},
       10,
       "TooManyReplicas"},
      {"desired replica count is more than the maximum replica count",
       100,
       1000,
       100,
       150,
       {},
       {},
       {},
       {},
       150,
       "TooManyReplicas"},
      {"scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies",
       3,
       1000,
       1,
       2000,
       rules(0, 0, 1, 60, 0),
       {},
       {},
       {},
       4,
       "ScaleUpLimit"},
      {"scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined "
       "policies",
       1000,
       3,
       3,
       2000,
       {},
       rules(20, 60, 0, 0, 0),
       {},
       {},
       980,
       "ScaleDownLimit"},
      {"scaleUp with default behavior", 10, 50, 1, 1000, {}, {}, {}, {}, 20, "ScaleUpLimit"},
      {"scaleUp with pods policy larger than percent policy",
       10,
       500,
       1,
       1000,
       rules(100, 60, 100, 60, 0),
       {},
       {},
       {},
       110,
       "ScaleUpLimit"},
      {"scaleUp with percent policy larger than pods policy",
       10,
       500,
       1,
       1000,
       rules(2, 60, 100, 60, 0),
       {},
       {},
       {},
       20,
       "ScaleUpLimit"},
      {"scaleUp with spec MaxReplicas limitation with large pod policy",
       10,
       50,
       1,
       1000,
       rules(100, 60, 0, 0, 0),
       {},
       {},
       {},
       50,
       "DesiredWithinRange"},
      {"scaleUp with spec MaxReplicas limitation with large percent policy",
       10,
       50,
       1,
       1000,
       rules(10000, 60, 0, 0, 0),
       {},
       {},
       {},
       50,
       "DesiredWithinRange"},
      {"scaleUp with pod policy limitation",
       10,
       50,
       1,
       1000,
       rules(30, 60, 0, 0, 0),
       {},
       {},
       {},
       40,
       "ScaleUpLimit"},
      {"scaleUp with percent policy limitation",
       10,
       50,
       1,
       1000,
       rules(0, 0, 200, 60, 0),
       {},
       {},
       {},
       30,
       "ScaleUpLimit"},
      {"scaleDown with percent policy larger than pod policy",
       100,
       2,
       1,
       1000,
       {},
       rules(20, 60, 1, 60, 300),
       {},
       {},
       80,
       "ScaleDownLimit"},
      {"scaleDown with pod policy larger than percent policy",
       100,
       2,
       1,
       1000,
       {},
       rules(2, 60, 1, 60, 300),
       {},
       {},
       98,
       "ScaleDownLimit"},
      {"scaleDown with spec MinReplicas limitation with large pod policy",
       10,
       0,
       1,
       1000,
       {},
       rules(100, 60, 0, 0, 300),
       {},
       {},
       1,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large percent policy",
       10,
       2,
       5,
       1000,
       {},
       rules(0, 0, 100, 60, 300),
       {},
       {},
       5,
       "TooFewReplicas"},
      {"scaleDown with pod policy limitation",
       10,
       2,
       1,
       1000,
       {},
       rules(5, 60, 0, 0, 300),
       {},
       {},
       5,
       "ScaleDownLimit"},
      {"scaleDown with percent policy limitation",
       10,
       5,
       1,
       1000,
       {},
       rules(0, 0, 50, 60, 300),
       {},
       {},
       5,
       "DesiredWithinRange"},
      {"scaleUp with spec MaxReplicas limitation with large pod policy and events",
       100,
       500,
       1,
       200,
       rules(300, 60, 0, 0, 0),
       {},
       events_159,
       {},
       200,
       "TooManyReplicas"},
      {"scaleUp with spec MaxReplicas limitation with large percent policy and events",
       100,
       500,
       1,
       200,
       rules(0, 0, 10000, 60, 0),
       {},
       events_159,
       {},
       200,
       "TooManyReplicas"},
      {"scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent "
       "scale up events",
       100,
       500,
       1,
       1000,
       rules(5, 120, 0, 0, 0),
       {},
       events_159,
       {},
       100,
       "ScaleUpLimit"},
      {"scaleUp with pod policy and previous scale up events",
       100,
       500,
       1,
       1000,
       rules(150, 120, 0, 0, 0),
       {},
       events_159,
       {},
       235,
       "ScaleUpLimit"},
      {"scaleUp with percent policy and previous scale up events",
       100,
       500,
       1,
       1000,
       rules(0, 0, 200, 120, 0),
       {},
       events_159,
       {},
       255,
       "ScaleUpLimit"},
      {"scaleDown with default policy and previous events",
       10,
       5,
       1,
       1000,
       {},
       {},
       {},
       events_159,
       5,
       "DesiredWithinRange"},
      {"scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events",
       100,
       0,
       1,
       1000,
       {},
       rules(115, 120, 0, 0, 300),
       {},
       events_159,
       1,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large pod policy and previous events",
       100,
       0,
       5,
       1000,
       {},
       rules(130, 120, 0, 0, 300),
       {},
       events_159,
       5,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large percent policy and previous events",
       100,
       2,
       5,
       1000,
       {},
       rules(0, 0, 100, 120, 300),
       {},
       events_159,
       5,
       "TooFewReplicas"},
      {"scaleDown with pod policy limitation and previous events",
       100,
       2,
       1,
       1000,
       {},
       rules(5, 120, 0, 0, 300),
       {},
       events_159,
       100,
       "ScaleDownLimit"},
      {"scaleDown with percent policy limitation and previous events",
       100,
       0,
       1,
       1000,
       {},
       rules(0, 0, 50, 120, 300),
       {},
       uniform({2, 4, 6}, 120),
       56,
       "ScaleDownLimit"},
      {"scaleDown with previous events preventing further scale down",
       100,
       0,
       1,
       1000,
       {},
       rules(0, 0, 10, 120, 300),
       {},
       uniform({10, 10, 10}, 120),
       100,
       "ScaleDownLimit"},
      {"scaleDown with with previous events still allowing more scale down",
       10,
       5,
       1,
       1000,
       {},
       rules(0, 0, 1000, 120, 300),
       {},
       uniform({10, 10, 10}, 120),
       5,
       "DesiredWithinRange"},
      {"check 'outdated' flag for events for one behavior for up",
       100,
       200,
       1,
       1000,
       rules(1000, 60, 0, 0, 0),
       {},
       events_8_12_9_11,
       {},
       200,
       "DesiredWithinRange"},
      {"check that events were not marked 'outdated' for two different policies in the "
       "behavior for up",
       100,
       200,
       1,
       1000,
       rules(1000, 120, 100, 60, 0),
       {},
       events_8_12_9_11,
       {},
       200,
       "DesiredWithinRange"},
      {"check that events were marked 'outdated' for two different policies in the behavior "
       "for up",
       100,
       200,
       1,
       1000,
       rules(1000, 30, 100, 60, 0),
       {},
       events_8_12_9_11,
       {},
       200,
       "DesiredWithinRange"},
      {"check 'outdated' flag for events for one behavior for down",
       100,
       5,
       1,
       1000,
       {},
       rules(1000, 60, 0, 0, 300),
       {},
       events_8_12_9_11,
       5,
       "DesiredWithinRange"},
      {"check that events were not marked 'outdated' for two different policies in the "
       "behavior for down",
       100,
       5,
       1,
       1000,
       {},
       rules(1000, 120, 100, 60, 300),
       {},
       events_8_12_9_11,
       5,
       "DesiredWithinRange"},
      {"check that events were marked 'outdated' for two different policies in the behavior "
       "for down",
       100,
       5,
       1,
       1000,
       {},
       rules(1000, 30, 100, 60, 300),
       {},
       events_8_12_9_11,
       5,
       "DesiredWithinRange"},
  };
  for (const Case& c : cases) run(c);
}

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
