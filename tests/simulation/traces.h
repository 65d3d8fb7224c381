#pragma once
// The load traces: each is an arrival rate over virtual time (the harness draws a Poisson
// process from it) plus what a claim needs to know about it (when the load steps, when the
// metrics API drops out, when the Service is idle). Rates are in multiples of one base load;
// a trace is plain data, safe to share between runs.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct Trace {
  std::string name;
  Millis duration = 0;
  std::function<double(Millis)> rate;  // requests per second at t
  std::optional<Millis> step_at;       // when the load jumps, for reaction times
  std::vector<Interval> metrics_drop_outs;
  std::vector<Interval> idle_gaps;  // no requests at all
};

// The load every trace is a multiple of.
inline constexpr double kBaseRate = 100.0;  // requests per second

Trace step_trace(double factor);         // base, then `factor` x base from 5 min on
Trace ramp_trace();                      // base, rising linearly to 10x over 20 min
Trace spike_trace();                     // base with 10 s at 10x
Trace square_wave_trace(Millis period);  // base and 4x, half a period each
Trace diurnal_trace();                   // a day compressed into an hour, twice: 0.5x..8x
// Bursts after idle gaps just under and just over `scale_to_zero_after`.
Trace idle_burst_trace(Millis scale_to_zero_after);
Trace steady_trace();            // constant 2.8x: 7 in flight per pod on 4 pods
Trace metrics_drop_out_trace();  // 6x falling to base, with the metrics API gone for 60 s
                                 // across the moment scale-down would come due

}  // namespace portico::simulation
