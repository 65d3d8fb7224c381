#include "tests/simulation/run_figures.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace portico::simulation {
namespace {

// Landing times of the writes that reversed the direction of the one before.
std::vector<Millis> reversal_times(const RunResult& run) {
  std::vector<Millis> times;
  int previous_direction = 0;
  for (const ScaleWrite& write : run.writes) {
    const int direction = write.to > write.from ? 1 : -1;
    if (previous_direction != 0 && direction != previous_direction) times.push_back(write.at);
    previous_direction = direction;
  }
  return times;
}

}  // namespace

std::optional<Millis> first_scale_up_latency(const RunResult& run, Millis from) {
  for (const ScaleWrite& write : run.writes) {
    if (write.at >= from && write.to > write.from) return write.at - from;
  }
  return std::nullopt;
}

std::optional<int> writes_to_reach(const RunResult& run, Millis from, int32_t needed) {
  int writes = 0;
  for (const ScaleWrite& write : run.writes) {
    if (write.at < from) continue;
    ++writes;
    if (write.to >= needed) return writes;
  }
  return std::nullopt;
}

std::optional<Millis> time_to_ready(const RunResult& run, Millis from, int32_t needed) {
  for (const SeriesPoint& point : run.series) {
    if (point.at >= from && point.ready >= needed) return point.at - from;
  }
  return std::nullopt;
}

int reversals(const RunResult& run) {
  return static_cast<int>(reversal_times(run).size());
}

double reversals_per(const RunResult& run, Millis window) {
  return static_cast<double>(reversals(run)) * static_cast<double>(window) /
         static_cast<double>(run.duration);
}

int max_reversals_within(const RunResult& run, Millis window) {
  const std::vector<Millis> times = reversal_times(run);
  int most = 0;
  size_t first = 0;
  for (size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= window) ++first;
    most = std::max(most, static_cast<int>(last - first + 1));
  }
  return most;
}

int scale_downs_within(const RunResult& run, Interval interval) {
  return static_cast<int>(std::count_if(run.writes.begin(), run.writes.end(), [&](const auto& w) {
    return interval.contains(w.at) && w.to < w.from;
  }));
}

int32_t min_spec_within(const RunResult& run, Interval interval) {
  int32_t lowest = std::numeric_limits<int32_t>::max();
  for (const SeriesPoint& point : run.series) {
    if (interval.contains(point.at)) lowest = std::min(lowest, point.spec);
  }
  return lowest;
}

double per_hour(int64_t count, Millis duration) {
  return static_cast<double>(count) * static_cast<double>(kHour) / static_cast<double>(duration);
}

}  // namespace portico::simulation
