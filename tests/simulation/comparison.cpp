#include "tests/simulation/comparison.h"

#include "tests/simulation/hpa_reference.h"
#include "tests/simulation/portico_loop.h"

namespace portico::simulation {

TraceComparison compare(const Trace& trace, const SimulationOptions& options) {
  TraceComparison comparison;
  comparison.trace = trace;
  comparison.portico = simulate(trace, portico_loop_options(), options);
  comparison.hpa = simulate(trace, hpa_reference_options(), options);
  comparison.oracle = oracle_replicas(trace, options.step, oracle_options(options));
  comparison.oracle_replica_seconds = replica_seconds(comparison.oracle, options.step);
  return comparison;
}

std::vector<Trace> all_traces() {
  return {step_trace(5),
          step_trace(10),
          ramp_trace(),
          spike_trace(),
          square_wave_trace(kMinute),
          square_wave_trace(10 * kMinute),
          diurnal_trace(),
          idle_burst_trace(kScaleToZeroAfter),
          steady_trace(),
          metrics_drop_out_trace()};
}

}  // namespace portico::simulation
