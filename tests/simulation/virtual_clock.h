#pragma once
// The simulation's time: integer milliseconds since the start of a run. Nothing in the
// simulation reads a real clock, so a run depends on its seed alone.
#include <cassert>
#include <chrono>
#include <cstdint>

#include "autoscaler/decision/replica_decision.h"

namespace portico::simulation {

// Milliseconds of virtual time since the start of a run.
using Millis = int64_t;

inline constexpr Millis kSecond = 1000;
inline constexpr Millis kMinute = 60 * kSecond;
inline constexpr Millis kHour = 60 * kMinute;

// The decision's TimePoint for a virtual instant: the steady clock's epoch plus the offset,
// so differences between TimePoints are exactly the virtual differences.
inline autoscaler::TimePoint to_time_point(Millis t) {
  return autoscaler::TimePoint(std::chrono::milliseconds(t));
}

// A half-open interval [begin, end) of virtual time.
struct Interval {
  Millis begin = 0;
  Millis end = 0;

  bool contains(Millis t) const { return t >= begin && t < end; }
};

// The harness's clock. Single-threaded, like the whole simulation; only the harness advances
// it, everything else is handed `now`.
class VirtualClock {
 public:
  Millis now() const { return now_; }
  void advance_to(Millis t) {
    assert(t >= now_ && "virtual time only moves forward");
    now_ = t;
  }

 private:
  Millis now_ = 0;
};

}  // namespace portico::simulation
