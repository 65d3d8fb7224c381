// Ports of horizontal_test.go TestNormalizeDesiredReplicasWithBehavior (and the older
// TestNormalizeDesiredReplicas, whose fixed 5-minute window is a 300 s scale-down window).
// Upstream keeps stale recommendations and overwrites one in place; this keeps only those a
// window can still see, so the stored lists here leave the stale ones out.
#include "autoscaler/decision/stabilizer.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using testing::at;

struct Case {
  const char* name;
  std::vector<std::pair<int32_t, double>> recommendations;  // replicas, seconds before now
  int32_t current;
  int32_t desired;
  int32_t up_window;
  int32_t down_window;
  int32_t expected;
  std::vector<int32_t> expected_stored;
};

void run(const Case& c) {
  SCOPED_TRACE(c.name);
  const TimePoint now = at(3600 * 2);
  std::deque<RecommendationHistory::Recommendation> recommendations;
  for (const auto& [replicas, ago] : c.recommendations) {
    recommendations.push_back({now - std::chrono::seconds(static_cast<int>(ago)), replicas});
  }
  controller::ScalingBehavior behavior = testing::hpa_default_behavior();
  behavior.scale_up.stabilization_window_seconds = c.up_window;
  behavior.scale_down.stabilization_window_seconds = c.down_window;
  EXPECT_EQ(stabilize(recommendations, behavior, c.current, c.desired, now), c.expected);
  std::vector<int32_t> stored;
  for (const auto& recommendation : recommendations) stored.push_back(recommendation.replicas);
  EXPECT_EQ(stored, c.expected_stored);
  EXPECT_EQ(recommendations.back().at, now);
}

TEST(Stabilizer, MatchesTheHpasBehaviorCases) {
  const Case cases[] = {
      {"empty recommendations for scaling down", {}, 100, 5, 0, 0, 5, {5}},
      {"simple scale down stabilization", {{4, 120}, {5, 60}}, 100, 3, 0, 180, 5, {4, 5, 3}},
      {"simple scale up stabilization", {{4, 120}, {5, 60}}, 1, 7, 300, 0, 4, {4, 5, 7}},
      {"no scale down stabilization", {{1, 120}, {2, 60}}, 100, 3, 300, 0, 3, {1, 2, 3}},
      {"no scale up stabilization", {{4, 120}, {5, 60}}, 1, 3, 0, 300, 3, {4, 5, 3}},
      {"no scale down stabilization, reuse recommendation element",
       {{10, 600}, {9, 540}},
       100,
       3,
       0,
       0,
       3,
       {3}},
      {"no scale up stabilization, reuse recommendation element",
       {{10, 600}, {9, 540}},
       1,
       100,
       0,
       0,
       100,
       {100}},
      {"scale down stabilization, reuse one of obsolete recommendation element",
       {{10, 600}, {4, 60}, {5, 120}, {9, 540}},
       100,
       3,
       0,
       180,
       5,
       {4, 5, 3}},
      {"scale up stabilization, reuse one of obsolete recommendation element",
       {{10, 6000}, {6, 60}, {5, 120}, {9, 180}},
       1,
       100,
       300,
       0,
       5,
       {6, 5, 9, 100}},
  };
  for (const Case& c : cases) run(c);
}

TEST(Stabilizer, MatchesTheHpasFiveMinuteDownscaleWindow) {  // TestNormalizeDesiredReplicas
  const Case cases[] = {
      {"empty log", {}, 100, 5, 0, 300, 5, {5}},
      {"stabilize", {{4, 120}, {5, 60}}, 100, 3, 0, 300, 5, {4, 5, 3}},
      {"no stabilize", {{1, 120}, {2, 60}}, 100, 3, 0, 300, 3, {1, 2, 3}},
      {"no stabilize - old recommendations", {{10, 600}, {9, 540}}, 100, 3, 0, 300, 3, {3}},
      {"stabilize - old recommendations",
       {{10, 600}, {4, 60}, {5, 120}, {9, 540}},
       100,
       3,
       0,
       300,
       5,
       {4, 5, 3}},
  };
  for (const Case& c : cases) run(c);
}

TEST(Stabilizer, ARecommendationExactlyAWindowOldNoLongerCounts) {
  // The HPA keeps those strictly after the cutoff.
  const Case cases[] = {
      {"just inside", {{10, 299}}, 10, 4, 0, 300, 10, {10, 4}},
      {"exactly at the cutoff", {{10, 300}}, 10, 4, 0, 300, 4, {10, 4}},
  };
  for (const Case& c : cases) run(c);
}

TEST(Stabilizer, LeavesTheCountAloneBetweenTheBounds) {
  // Scale-up window says at least 4, scale-down window says at most 9: current 6 stays.
  run({"between", {{4, 10}, {9, 20}}, 6, 7, 60, 60, 6, {4, 9, 7}});
}

}  // namespace
}  // namespace portico::autoscaler
