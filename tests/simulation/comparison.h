#pragma once
// One trace run three ways with the same seed: Portico's loop, the HPA reference and the
// oracle. Tests and the report both start from this. Pure apart from its cost (a few
// hundred milliseconds of CPU per hour of virtual time).
#include <vector>

#include "tests/simulation/simulation.h"
#include "tests/simulation/traces.h"

namespace portico::simulation {

struct TraceComparison {
  Trace trace;
  RunResult portico;
  RunResult hpa;
  std::vector<int32_t> oracle;  // replicas per step
  double oracle_replica_seconds = 0;
};

TraceComparison compare(const Trace& trace, const SimulationOptions& options = {});

// Every trace the issue names, in the report's order.
std::vector<Trace> all_traces();

}  // namespace portico::simulation
