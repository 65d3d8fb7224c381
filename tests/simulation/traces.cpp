#include "tests/simulation/traces.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace portico::simulation {
namespace {

constexpr Millis kStepAt = 5 * kMinute;

}  // namespace

Trace step_trace(double factor) {
  Trace trace;
  trace.name = "step 1->" + std::to_string(static_cast<int>(factor)) + "x";
  trace.duration = 20 * kMinute;
  trace.rate = [factor](Millis t) { return t < kStepAt ? kBaseRate : factor * kBaseRate; };
  trace.step_at = kStepAt;
  return trace;
}

Trace ramp_trace() {
  constexpr Millis kRise = 20 * kMinute;
  Trace trace;
  trace.name = "ramp 1->10x in 20 min";
  trace.duration = 30 * kMinute;
  trace.rate = [](Millis t) {
    const double progress =
        std::clamp(static_cast<double>(t - kStepAt) / static_cast<double>(kRise), 0.0, 1.0);
    return kBaseRate * (1.0 + 9.0 * progress);
  };
  return trace;
}

Trace spike_trace() {
  constexpr Millis kSpikeAt = 10 * kMinute;
  Trace trace;
  trace.name = "spike 10x for 10 s";
  trace.duration = 20 * kMinute;
  trace.rate = [](Millis t) {
    return t >= kSpikeAt && t < kSpikeAt + 10 * kSecond ? 10 * kBaseRate : kBaseRate;
  };
  trace.step_at = kSpikeAt;
  return trace;
}

Trace square_wave_trace(Millis period) {
  Trace trace;
  trace.name = "square wave 1x/4x, period " + std::to_string(period / kSecond) + " s";
  trace.duration = kHour;
  trace.rate = [period](Millis t) { return t % period < period / 2 ? kBaseRate : 4 * kBaseRate; };
  return trace;
}

Trace diurnal_trace() {
  Trace trace;
  trace.name = "diurnal sine 0.5x..8x, 1 h period";
  trace.duration = 2 * kHour;
  trace.rate = [](Millis t) {
    const double phase = 2 * std::numbers::pi * static_cast<double>(t) / static_cast<double>(kHour);
    return kBaseRate * (0.5 + 7.5 * (1 - std::cos(phase)) / 2);
  };
  return trace;
}

Trace idle_burst_trace(Millis scale_to_zero_after) {
  constexpr Millis kBurst = kMinute;
  constexpr double kBurstRate = 0.05 * kBaseRate;
  constexpr int kColdBursts = 3;
  Trace trace;
  trace.name = "idle -> burst, gaps scaleToZeroAfter -/+ 30 s";
  // Warm load, then a gap just under scaleToZeroAfter, then gaps just over it.
  std::vector<Interval> bursts;
  Millis t = kStepAt;
  for (int gap = 0; gap <= kColdBursts; ++gap) {
    const Millis idle = scale_to_zero_after + (gap == 0 ? -30 : 30) * kSecond;
    trace.idle_gaps.push_back({t, t + idle});
    bursts.push_back({t + idle, t + idle + kBurst});
    t += idle + kBurst;
  }
  trace.duration = t + 2 * kMinute;
  trace.rate = [bursts](Millis at) {
    if (at < kStepAt) return kBaseRate;
    for (const Interval& burst : bursts) {
      if (burst.contains(at)) return kBurstRate;
    }
    return 0.0;
  };
  return trace;
}

Trace steady_trace() {
  Trace trace;
  trace.name = "steady Poisson 2.8x";
  trace.duration = kHour;
  trace.rate = [](Millis) { return 2.8 * kBaseRate; };
  return trace;
}

Trace metrics_drop_out_trace() {
  constexpr Millis kFallAt = 10 * kMinute;
  Trace trace;
  trace.name = "metrics drop-out 60 s";
  trace.duration = 20 * kMinute;
  trace.rate = [](Millis t) { return t < kFallAt ? 6 * kBaseRate : kBaseRate; };
  // The default scale-down window is 300 s: the drop-out covers the moment it runs out,
  // 300..330 s after the fall depending on how fast each controller sees the fall.
  trace.metrics_drop_outs.push_back({kFallAt + 280 * kSecond, kFallAt + 340 * kSecond});
  return trace;
}

}  // namespace portico::simulation
