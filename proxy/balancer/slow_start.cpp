#include "proxy/balancer/slow_start.h"

#include <algorithm>

namespace portico::proxy {
namespace {

constexpr int64_t kStartPermille = 100;
constexpr int64_t kRampPermille = 1000 - kStartPermille;
// Longer windows (about 115 days) are cut to this so that kRampPermille * elapsed fits.
constexpr int64_t kMaxWindowNs = 10'000'000'000'000'000;

}  // namespace

int64_t slow_start_weight(uint32_t base_weight, int64_t created_ns, int64_t now_ns,
                          std::chrono::nanoseconds window) {
  const int64_t weight = std::clamp<int64_t>(base_weight, 1, kMaxWeight);
  const int64_t window_ns = std::min<int64_t>(window.count(), kMaxWindowNs);
  if (window_ns <= 0) return weight * kWeightScale;
  const int64_t elapsed = std::clamp<int64_t>(now_ns - created_ns, 0, window_ns);
  const int64_t permille = kStartPermille + kRampPermille * elapsed / window_ns;
  static_assert(kWeightScale == 1000, "the ramp is computed in permille of kWeightScale");
  return weight * permille;
}

}  // namespace portico::proxy
