// Ports of horizontal_test.go TestStoreScaleEvents: which events a new scale keeps, and how
// many replicas a 60 s period sees before it. Upstream marks stale events "outdated" and
// overwrites one in place; here stale events are dropped, so only live ones are listed.
#include "autoscaler/decision/recommendation_history.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using testing::at;
using testing::rules;

const TimePoint kNow = at(3600);

struct Case {
  const char* name;
  std::vector<std::pair<int32_t, int>> previous;  // change, seconds before now; oldest first
  controller::ScalingRules rules;
  int32_t expected_change_within_60s;
  std::vector<int32_t> expected_kept;
};

std::deque<RecommendationHistory::ScaleEvent> events(const Case& c) {
  std::deque<RecommendationHistory::ScaleEvent> result;
  for (const auto& [change, ago] : c.previous) {
    result.push_back({kNow - std::chrono::seconds(ago), change});
  }
  return result;
}

std::vector<int32_t> changes(const std::deque<RecommendationHistory::ScaleEvent>& list) {
  std::vector<int32_t> result;
  for (const auto& event : list) result.push_back(event.change);
  return result;
}

TEST(RecommendationHistory, MatchesTheHpasStoreScaleEventsCases) {
  const Case cases[] = {
      {"empty entries with two-policy-behavior", {}, rules(10, 60, 100, 60, 0), 0, {5}},
      {"one outdated entry to be replaced with behavior",
       {{7, 61}},
       rules(10, 60, 100, 60, 0),
       0,
       {5}},
      {"one actual entry to be not touched with behavior",
       {{7, 58}},
       rules(10, 60, 100, 60, 0),
       7,
       {7, 5}},
      {"two entries, one of them to be replaced",
       {{7, 61}, {6, 59}},
       rules(10, 60, 0, 0, 0),
       6,
       {6, 5}},
      {"replace one entry, use policies with different periods",
       {{7, 61}, {9, 61}, {6, 59}, {8, 29}},
       rules(10, 60, 100, 30, 0),
       14,
       {6, 8, 5}},
      {"two entries, both actual", {{6, 59}, {7, 58}}, rules(10, 120, 100, 30, 0), 13, {6, 7, 5}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    controller::ScalingBehavior behavior;
    behavior.scale_up = c.rules;
    behavior.scale_down = c.rules;

    RecommendationHistory up;
    up.scale_ups = events(c);
    EXPECT_EQ(replicas_changed_within(up.scale_ups, 60, kNow), c.expected_change_within_60s);
    record_scale_event(up, behavior, 10, 15, kNow);
    EXPECT_EQ(changes(up.scale_ups), c.expected_kept);
    EXPECT_TRUE(up.scale_downs.empty());

    RecommendationHistory down;
    down.scale_downs = events(c);
    EXPECT_EQ(replicas_changed_within(down.scale_downs, 60, kNow), c.expected_change_within_60s);
    record_scale_event(down, behavior, 10, 5, kNow);
    EXPECT_EQ(changes(down.scale_downs), c.expected_kept);
    EXPECT_TRUE(down.scale_ups.empty());
  }
}

TEST(RecommendationHistory, AnUnchangedCountRecordsNothing) {
  RecommendationHistory history;
  record_scale_event(history, testing::hpa_default_behavior(), 4, 4, kNow);
  EXPECT_TRUE(history.scale_ups.empty());
  EXPECT_TRUE(history.scale_downs.empty());
}

}  // namespace
}  // namespace portico::autoscaler
