#include "autoscaler/decision/rate_limits.h"

#include <algorithm>
#include <limits>

namespace portico::autoscaler {
namespace {

using controller::ScalingRatePolicy;
using controller::SelectPolicy;

int64_t period_start_replicas(int32_t current, const RecommendationHistory& history,
                              const ScalingRatePolicy& policy, TimePoint now) {
  return int64_t{current} - replicas_changed_within(history.scale_ups, policy.period_seconds, now) +
         replicas_changed_within(history.scale_downs, policy.period_seconds, now);
}

// Rounded up, so a small percentage of a small count still adds a replica.
int64_t grown(int64_t start, int32_t percent) {
  const int64_t scaled = start * (100 + int64_t{percent});
  return scaled >= 0 ? (scaled + 99) / 100 : scaled / 100;
}

// Rounded towards zero, as the HPA's int32() conversion does.
int64_t shrunk(int64_t start, int32_t percent) {
  return start * (100 - int64_t{percent}) / 100;
}

}  // namespace

int64_t scale_up_limit(int32_t current, const RecommendationHistory& history,
                       const controller::ScalingRules& rules, TimePoint now) {
  if (rules.select == SelectPolicy::kDisabled) return current;
  const bool most = rules.select == SelectPolicy::kMax;
  int64_t limit = most ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max();
  for (const ScalingRatePolicy& policy : rules.policies) {
    const int64_t start = period_start_replicas(current, history, policy, now);
    const int64_t proposed = policy.type == ScalingRatePolicy::Type::kPods
                                 ? start + policy.value
                                 : grown(start, policy.value);
    limit = most ? std::max(limit, proposed) : std::min(limit, proposed);
  }
  return limit;
}

int64_t scale_down_limit(int32_t current, const RecommendationHistory& history,
                         const controller::ScalingRules& rules, TimePoint now) {
  if (rules.select == SelectPolicy::kDisabled) return current;
  const bool most = rules.select == SelectPolicy::kMax;
  int64_t limit = most ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
  for (const ScalingRatePolicy& policy : rules.policies) {
    const int64_t start = period_start_replicas(current, history, policy, now);
    const int64_t proposed = policy.type == ScalingRatePolicy::Type::kPods
                                 ? start - policy.value
                                 : shrunk(start, policy.value);
    limit = most ? std::min(limit, proposed) : std::max(limit, proposed);
  }
  return limit;
}

RateLimited limit_rate(int32_t current, int32_t desired, int32_t min_replicas, int32_t max_replicas,
                       const RecommendationHistory& history,
                       const controller::ScalingBehavior& behavior, TimePoint now) {
  if (desired > current) {
    // Recent scale-ups may already exceed a policy changed since: then hold, never go down.
    const int64_t limit =
        std::max<int64_t>(scale_up_limit(current, history, behavior.scale_up, now), current);
    if (max_replicas > limit) {
      if (desired > limit) {
        return {static_cast<int32_t>(limit), "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate"};
      }
    } else if (desired > max_replicas) {
      return {max_replicas, "TooManyReplicas",
              "the desired replica count is more than the maximum replica count"};
    }
  } else if (desired < current) {
    const int64_t limit =
        std::min<int64_t>(scale_down_limit(current, history, behavior.scale_down, now), current);
    if (min_replicas < limit) {
      if (desired < limit) {
        return {static_cast<int32_t>(limit), "ScaleDownLimit",
                "the desired replica count is decreasing faster than the maximum scale rate"};
      }
    } else if (desired < min_replicas) {
      return {min_replicas, "TooFewReplicas",
              "the desired replica count is less than the minimum replica count"};
    }
  }
  return {desired, "DesiredWithinRange", "the desired count is within the acceptable range"};
}

}  // namespace portico::autoscaler
