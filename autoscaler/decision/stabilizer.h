#pragma once
// The stabilization windows (the HPA's stabilizeRecommendationWithBehaviors): a new count must
// have been recommended throughout the window before the target moves to it. Scale-up takes the
// lowest recommendation within scaleUp.stabilizationWindowSeconds, scale-down the highest within
// scaleDown.stabilizationWindowSeconds, so a brief spike or dip moves nothing. Pure; any thread.
#include <cstdint>
#include <deque>

#include "autoscaler/decision/recommendation_history.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// The stabilized count for `desired` (unstabilized, straight from the metrics) given the
// `current` count. Records `desired` at `now` in `recommendations` and drops the ones that
// neither window can see any more.
int32_t stabilize(std::deque<RecommendationHistory::Recommendation>& recommendations,
                  const controller::ScalingBehavior& behavior, int32_t current, int32_t desired,
                  TimePoint now);

}  // namespace portico::autoscaler
