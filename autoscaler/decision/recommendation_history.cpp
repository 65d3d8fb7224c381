#include "autoscaler/decision/recommendation_history.h"

#include <algorithm>

namespace portico::autoscaler {
namespace {

int32_t longest_period_seconds(const controller::ScalingRules& rules) {
  int32_t longest = 0;
  for (const controller::ScalingRatePolicy& policy : rules.policies) {
    longest = std::max(longest, policy.period_seconds);
  }
  return longest;
}

// The HPA marks events older than the longest period "outdated" and reuses their slots; no
// period can count them again, so dropping them is the same thing.
void append(std::deque<RecommendationHistory::ScaleEvent>& events,
            const controller::ScalingRules& rules, int32_t change, TimePoint at) {
  const TimePoint cutoff = at - std::chrono::seconds(longest_period_seconds(rules));
  std::erase_if(events, [&](const RecommendationHistory::ScaleEvent& e) { return e.at < cutoff; });
  events.push_back({at, change});
}

}  // namespace

void record_scale_event(RecommendationHistory& history, const controller::ScalingBehavior& behavior,
                        int32_t from, int32_t to, TimePoint at) {
  if (to > from) append(history.scale_ups, behavior.scale_up, to - from, at);
  if (to < from) append(history.scale_downs, behavior.scale_down, from - to, at);
}

int32_t replicas_changed_within(const std::deque<RecommendationHistory::ScaleEvent>& events,
                                int32_t period_seconds, TimePoint now) {
  const TimePoint cutoff = now - std::chrono::seconds(period_seconds);
  int32_t changed = 0;
  for (const RecommendationHistory::ScaleEvent& event : events) {
    if (event.at > cutoff) changed += event.change;
  }
  return changed;
}

}  // namespace portico::autoscaler
