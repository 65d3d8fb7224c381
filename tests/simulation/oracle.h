#pragma once
// The oracle baseline: a controller that knows the trace's rate ahead of time and the pods'
// start delay, so it runs exactly ceil(rate x mean service time / target) replicas, each
// started one start delay before it is needed. Its replica-seconds are the floor the
// controllers are measured against. Pure.
#include <cstdint>

#include "tests/simulation/traces.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct OracleOptions {
  double mean_service_seconds = 0.1;
  double target_per_replica = 7;  // requests in flight per replica
  Millis start_delay = 10 * kSecond;
  int32_t max_replicas = 50;
};

// ceil(rate x service time / target), at most max_replicas; 0 for no load.
int32_t needed_replicas(double rate, const OracleOptions& options);

// The oracle's replicas at each step of `step` over the trace: the most needed at any time
// within one start delay ahead.
std::vector<int32_t> oracle_replicas(const Trace& trace, Millis step, const OracleOptions& options);

double replica_seconds(const std::vector<int32_t>& replicas, Millis step);

}  // namespace portico::simulation
