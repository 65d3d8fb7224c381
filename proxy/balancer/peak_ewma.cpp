#include "proxy/balancer/peak_ewma.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>

namespace portico::proxy {
namespace {

constexpr double kNoSamplePenaltyNs = static_cast<double>(int64_t{1} << 47);

double decay_weight(int64_t elapsed_ns, int64_t decay_ns) {
  assert(decay_ns > 0);
  return std::exp(-static_cast<double>(std::max<int64_t>(elapsed_ns, 0)) /
                  static_cast<double>(decay_ns));
}

}  // namespace

int64_t next_peak_ewma(int64_t current_ns, int64_t sample_ns, int64_t elapsed_ns,
                       int64_t decay_ns) {
  if (sample_ns > current_ns) return sample_ns;
  const double weight = decay_weight(elapsed_ns, decay_ns);
  return std::llround(static_cast<double>(current_ns) * weight +
                      static_cast<double>(sample_ns) * (1.0 - weight));
}

void record_latency(EndpointState& state, int64_t sample_ns, int64_t now_ns) {
  sample_ns = std::max<int64_t>(sample_ns, 1);
  int64_t current = state.latency_ewma_ns.load(std::memory_order_relaxed);
  int64_t next;
  do {
    const int64_t elapsed = now_ns - state.latency_updated_ns.load(std::memory_order_relaxed);
    next = next_peak_ewma(current, sample_ns, elapsed);
  } while (!state.latency_ewma_ns.compare_exchange_weak(current, next, std::memory_order_relaxed));
  // Only ever forward: a recorder that read the clock earlier must not move it back.
  int64_t stamp = state.latency_updated_ns.load(std::memory_order_relaxed);
  while (stamp < now_ns && !state.latency_updated_ns.compare_exchange_weak(
                               stamp, now_ns, std::memory_order_relaxed)) {
  }
}

double peak_ewma_cost(const EndpointState& state, int64_t now_ns) {
  const int64_t ewma = state.latency_ewma_ns.load(std::memory_order_relaxed);
  const double in_flight = static_cast<double>(
      std::max<int64_t>(state.active_requests.load(std::memory_order_relaxed), 0));
  if (ewma == 0) return in_flight == 0 ? 0.0 : kNoSamplePenaltyNs + in_flight;
  const int64_t elapsed = now_ns - state.latency_updated_ns.load(std::memory_order_relaxed);
  const double decayed =
      std::max(static_cast<double>(ewma) * decay_weight(elapsed, kPeakEwmaDecayNs), 1.0);
  return decayed * (in_flight + 1.0);
}

}  // namespace portico::proxy
