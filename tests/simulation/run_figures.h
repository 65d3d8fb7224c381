#pragma once
// The figures the claims and the report are stated in, computed from a run. Pure.
#include <cstdint>
#include <optional>

#include "tests/simulation/simulation.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

// From `from` to the first write at or after it that raised the count (when it landed on the
// API server); unset when none did.
std::optional<Millis> first_scale_up_latency(const RunResult& run, Millis from);

// How many scale writes, from `from` on, it took to ask for at least `needed` replicas;
// unset when the run never did.
std::optional<int> writes_to_reach(const RunResult& run, Millis from, int32_t needed);

// From `from` until at least `needed` pods were ready (to the series' resolution); unset when
// never.
std::optional<Millis> time_to_ready(const RunResult& run, Millis from, int32_t needed);

// Consecutive scale writes that went opposite ways.
int reversals(const RunResult& run);
// Reversals per `window` of the run, on average.
double reversals_per(const RunResult& run, Millis window);
// The most reversals within any `window` of the run (a stricter reading of the same claim).
int max_reversals_within(const RunResult& run, Millis window);

// Scale writes landing in `interval` that lowered the count.
int scale_downs_within(const RunResult& run, Interval interval);

// The lowest spec.replicas recorded within `interval`.
int32_t min_spec_within(const RunResult& run, Interval interval);

double per_hour(int64_t count, Millis duration);

}  // namespace portico::simulation
