#include "tests/simulation/oracle.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace portico::simulation {

int32_t needed_replicas(double rate, const OracleOptions& options) {
  // The small slack keeps an exact multiple (2.8 x 100 x 0.1 / 7 = 4) from rounding up on a
  // floating-point error.
  const double replicas =
      std::ceil(rate * options.mean_service_seconds / options.target_per_replica - 1e-9);
  return std::clamp(static_cast<int32_t>(replicas), 0, options.max_replicas);
}

std::vector<int32_t> oracle_replicas(const Trace& trace, Millis step,
                                     const OracleOptions& options) {
  const size_t steps = static_cast<size_t>(trace.duration / step);
  const size_t ahead = static_cast<size_t>(options.start_delay / step);
  std::vector<int32_t> needed(steps + ahead);
  for (size_t i = 0; i < needed.size(); ++i) {
    const Millis t = static_cast<Millis>(i) * step;
    needed[i] = t < trace.duration ? needed_replicas(trace.rate(t), options) : 0;
  }
  // Sliding maximum over [i, i + ahead] with a monotonic deque of indexes.
  std::vector<int32_t> replicas(steps);
  std::deque<size_t> window;
  for (size_t i = 0; i < needed.size(); ++i) {
    while (!window.empty() && needed[window.back()] <= needed[i]) window.pop_back();
    window.push_back(i);
    if (i < ahead) continue;
    const size_t start = i - ahead;
    while (window.front() < start) window.pop_front();
    replicas[start] = needed[window.front()];
  }
  return replicas;
}

double replica_seconds(const std::vector<int32_t>& replicas, Millis step) {
  double total = 0;
  for (int32_t count : replicas) total += count;
  return total * static_cast<double>(step) / 1000.0;
}

}  // namespace portico::simulation
