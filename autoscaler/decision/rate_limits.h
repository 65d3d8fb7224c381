#pragma once
// The rate policies and the min/max bounds (the HPA's convertDesiredReplicasWithBehaviorRate
// with calculateScaleUpLimitWithScalingRules and calculateScaleDownLimitWithBehaviors): how
// many replicas may be added or removed given what was added and removed within each policy's
// period. Integer arithmetic throughout. Pure; any thread.
#include <cstdint>
#include <string_view>

#include "autoscaler/decision/recommendation_history.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// The most replicas the scale-up rules allow now: per policy, the replicas at the start of its
// period (current - added + removed within it) plus `value` Pods or `value` percent of them
// (rounded up), the largest (Max) or smallest (Min) of those; `current` when Disabled.
int64_t scale_up_limit(int32_t current, const RecommendationHistory& history,
                       const controller::ScalingRules& rules, TimePoint now);

// The fewest replicas the scale-down rules allow now: per policy, the replicas at the start of
// its period minus `value` Pods or `value` percent of them (the count rounded towards zero), the
// smallest (Max) or largest (Min) of those; `current` when Disabled.
int64_t scale_down_limit(int32_t current, const RecommendationHistory& history,
                         const controller::ScalingRules& rules, TimePoint now);

struct RateLimited {
  int32_t replicas = 0;
  // ScalingLimited's reason: DesiredWithinRange when `replicas` is the desired count, else
  // ScaleUpLimit, TooManyReplicas, ScaleDownLimit or TooFewReplicas.
  std::string_view reason;
  std::string_view message;
};

// `desired` (stabilized) bounded by the rate policies and by [min_replicas, max_replicas], each
// bound applying in the direction of the change from `current`.
RateLimited limit_rate(int32_t current, int32_t desired, int32_t min_replicas, int32_t max_replicas,
                       const RecommendationHistory& history,
                       const controller::ScalingBehavior& behavior, TimePoint now);

}  // namespace portico::autoscaler
