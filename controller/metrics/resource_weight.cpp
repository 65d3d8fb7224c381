#include "controller/metrics/resource_weight.h"

#include <algorithm>

namespace portico::controller::metrics {

namespace {

// About a billion cores: beyond any node, and small enough that the arithmetic below cannot
// overflow whatever a metrics server sends.
constexpr int64_t kMaxMilli = int64_t{1} << 40;

}  // namespace

int32_t resource_weight(int64_t usage_milli, int64_t request_milli, int32_t ceiling_percent) {
  if (request_milli <= 0 || request_milli > kMaxMilli || ceiling_percent <= 0) return -1;
  // Compare in milli-percent with integers: usage * 100'000 / request is utilization in
  // thousandths of a percent, exact enough and free of floating-point edge cases.
  const int64_t ceiling = int64_t{ceiling_percent} * 1000;
  const int64_t utilization =
      std::clamp<int64_t>(usage_milli, 0, kMaxMilli) * 100'000 / request_milli;
  if (utilization >= ceiling) return 0;
  const int64_t spare = ceiling - utilization;
  // Rounded up so that any spare capacity earns at least 1.
  return static_cast<int32_t>((spare * kIdleResourceWeight + ceiling - 1) / ceiling);
}

std::unordered_map<std::string, int32_t> resource_weights_by_ip(const std::vector<PodCpu>& pods,
                                                                int32_t ceiling_percent) {
  std::unordered_map<std::string, int32_t> weights;
  for (const PodCpu& pod : pods) {
    const int32_t weight = resource_weight(pod.usage_milli, pod.request_milli, ceiling_percent);
    for (const std::string& ip : pod.ips) {
      auto [it, inserted] = weights.try_emplace(ip, weight);
      if (!inserted && weight >= 0 && (it->second < 0 || weight < it->second)) it->second = weight;
    }
  }
  return weights;
}

}  // namespace portico::controller::metrics
