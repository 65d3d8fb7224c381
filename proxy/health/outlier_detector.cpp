#include "proxy/health/outlier_detector.h"

#include <algorithm>

namespace portico::proxy {
namespace {

bool ejection_allowed(const Backend& backend, const EndpointState& candidate, int64_t now_ns) {
  std::size_t ejected = 0;
  for (const Endpoint& endpoint : backend.endpoints) {
    if (endpoint.state.get() != &candidate &&
        endpoint.state->ejected_until_ns.load(std::memory_order_relaxed) > now_ns) {
      ++ejected;
    }
  }
  // Ejecting this one must keep the ejected share at or under the limit.
  return (ejected + 1) * 100 <=
         backend.outlier_detection.max_ejection_percent * backend.endpoints.size();
}

}  // namespace

bool record_outcome(const Backend& backend, EndpointState& state, bool failed, int64_t now_ns) {
  if (!failed) {
    state.consecutive_failures.store(0, std::memory_order_relaxed);
    return false;
  }
  state.failures.fetch_add(1, std::memory_order_relaxed);
  const OutlierDetection& policy = backend.outlier_detection;
  const uint32_t in_a_row = state.consecutive_failures.fetch_add(1, std::memory_order_relaxed) + 1;
  if (policy.consecutive_failures == 0 || in_a_row < policy.consecutive_failures) return false;
  int64_t until = state.ejected_until_ns.load(std::memory_order_relaxed);
  if (until > now_ns || !ejection_allowed(backend, state, now_ns)) return false;

  const int64_t base = std::chrono::nanoseconds(policy.base_ejection).count();
  const int64_t cap = std::chrono::nanoseconds(policy.max_ejection).count();
  const int64_t times = state.ejections.load(std::memory_order_relaxed) + 1;
  const int64_t duration = std::min(cap, base * times);
  if (!state.ejected_until_ns.compare_exchange_strong(until, now_ns + duration,
                                                      std::memory_order_relaxed)) {
    return false;  // another worker ejected it first
  }
  state.ejections.fetch_add(1, std::memory_order_relaxed);
  state.consecutive_failures.store(0, std::memory_order_relaxed);
  return true;
}

}  // namespace portico::proxy
