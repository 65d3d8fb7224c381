#include "autoscaler/decision/stabilizer.h"

#include <algorithm>
#include <chrono>

namespace portico::autoscaler {

int32_t stabilize(std::deque<RecommendationHistory::Recommendation>& recommendations,
                  const controller::ScalingBehavior& behavior, int32_t current, int32_t desired,
                  TimePoint now) {
  const TimePoint up_cutoff =
      now - std::chrono::seconds(behavior.scale_up.stabilization_window_seconds);
  const TimePoint down_cutoff =
      now - std::chrono::seconds(behavior.scale_down.stabilization_window_seconds);

  // Both bounds include `desired` itself, so lowest <= desired <= highest.
  int32_t lowest = desired;
  int32_t highest = desired;
  for (const RecommendationHistory::Recommendation& recommendation : recommendations) {
    if (recommendation.at > up_cutoff) lowest = std::min(lowest, recommendation.replicas);
    if (recommendation.at > down_cutoff) highest = std::max(highest, recommendation.replicas);
  }
  const int32_t stabilized = std::clamp(current, lowest, highest);

  std::erase_if(recommendations, [&](const RecommendationHistory::Recommendation& r) {
    return r.at < up_cutoff && r.at < down_cutoff;
  });
  recommendations.push_back({now, desired});
  return stabilized;
}

}  // namespace portico::autoscaler
