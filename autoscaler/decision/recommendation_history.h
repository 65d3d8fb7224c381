#pragma once
// What the HPA remembers about one target between decisions, kept by the caller and passed
// back each time: recent unstabilized recommendations (for the stabilization windows) and
// recent replica changes (for the rate policies). Plain data; the caller owns it and
// serializes access (the autoscaler loop's thread).
#include <chrono>
#include <cstdint>
#include <deque>

#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// A virtual or real clock's time: the decision never reads a clock of its own.
using TimePoint = std::chrono::steady_clock::time_point;

struct RecommendationHistory {
  struct Recommendation {
    TimePoint at;
    int32_t replicas = 0;
  };
  struct ScaleEvent {
    TimePoint at;
    int32_t change = 0;  // replicas added (scale_ups) or removed (scale_downs); always > 0
  };
  // Oldest first. decide_replicas() appends one per decision and drops those outside both
  // stabilization windows.
  std::deque<Recommendation> recommendations;
  // Oldest first. record_scale_event() appends and drops those older than the direction's
  // longest policy period.
  std::deque<ScaleEvent> scale_ups;
  std::deque<ScaleEvent> scale_downs;
};

// Remembers that the target went from `from` to `to` replicas at `at`. Call it once the scale
// write has succeeded (the HPA's storeScaleEvent), never for a failed write: the rate
// policies count only replicas really added or removed. Equal counts record nothing.
void record_scale_event(RecommendationHistory& history, const controller::ScalingBehavior& behavior,
                        int32_t from, int32_t to, TimePoint at);

// Replicas added (or removed) by `events` strictly within the last `period_seconds` before
// `now` (getReplicasChangePerPeriod).
int32_t replicas_changed_within(const std::deque<RecommendationHistory::ScaleEvent>& events,
                                int32_t period_seconds, TimePoint now);

}  // namespace portico::autoscaler
