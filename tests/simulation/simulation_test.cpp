// The claims about the autoscaler, one test each, on the traces they name: the real
// decide_replicas() behind the simulated cluster, and each figure compared with the HPA
// reference's on the same trace and seed ("no worse than the HPA"). Each claim must hold on
// every seed below, not on one lucky draw. Every figure is computed from the runs; a failure
// prints the scale writes that explain it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/simulation/comparison.h"
#include "tests/simulation/hpa_reference.h"
#include "tests/simulation/portico_loop.h"
#include "tests/simulation/run_figures.h"

namespace portico::simulation {
namespace {

constexpr uint64_t kSeeds[] = {0x5eed0001, 0x5eed0002, 0x5eed0003};

SimulationOptions with_seed(uint64_t seed) {
  SimulationOptions options;
  options.seed = seed;
  return options;
}

std::vector<TraceComparison> compare_on_every_seed(const Trace& trace) {
  std::vector<TraceComparison> runs;
  for (uint64_t seed : kSeeds) runs.push_back(compare(trace, with_seed(seed)));
  return runs;
}

std::string describe_writes(const RunResult& run) {
  std::ostringstream out;
  out << run.controller << " on " << run.trace << ", seed " << std::hex << run.seed << std::dec
      << ", scale writes:";
  for (const ScaleWrite& write : run.writes) {
    out << "\n  " << static_cast<double>(write.at) / kSecond << " s: " << write.from << " -> "
        << write.to << (write.on_event ? " (queue-depth event) " : " (tick) ") << write.reason;
  }
  return out.str();
}

int32_t needed_after_step(const Trace& trace) {
  return needed_replicas(trace.rate(*trace.step_at), oracle_options(SimulationOptions{}));
}

int32_t spec_at(const RunResult& run, Millis t) {
  return min_spec_within(run, {t, t + SimulationOptions{}.sample_period});
}

TEST(AutoscalingSimulation, LoadStepIsWrittenWithinOneSecondOnQueueDepth) {
  for (const Trace& trace : {step_trace(5), step_trace(10)}) {
    for (const TraceComparison& runs : compare_on_every_seed(trace)) {
      const Millis step = *trace.step_at;
      const std::optional<Millis> portico = first_scale_up_latency(runs.portico, step);
      const std::optional<Millis> hpa = first_scale_up_latency(runs.hpa, step);
      ASSERT_TRUE(portico.has_value()) << describe_writes(runs.portico);
      EXPECT_LT(*portico, kSecond) << describe_writes(runs.portico);
      const auto first =
          std::find_if(runs.portico.writes.begin(), runs.portico.writes.end(),
                       [&](const ScaleWrite& write) { return write.at - step == *portico; });
      EXPECT_TRUE(first->on_event) << describe_writes(runs.portico);
      // An HPA that never scaled up is as late as can be.
      EXPECT_LE(*portico, hpa.value_or(std::numeric_limits<Millis>::max()))
          << describe_writes(runs.hpa);
    }
  }
}

TEST(AutoscalingSimulation, TenfoldStepReachesTheNeededReplicasInOneDecision) {
  const Trace trace = step_trace(10);
  const int32_t needed = needed_after_step(trace);
  for (const TraceComparison& runs : compare_on_every_seed(trace)) {
    const std::optional<int> portico = writes_to_reach(runs.portico, *trace.step_at, needed);
    const std::optional<int> hpa = writes_to_reach(runs.hpa, *trace.step_at, needed);
    ASSERT_TRUE(portico.has_value()) << "needed " << needed << "\n"
                                     << describe_writes(runs.portico);
    EXPECT_EQ(*portico, 1) << "needed " << needed << "\n" << describe_writes(runs.portico);
    EXPECT_LE(*portico, hpa.value_or(std::numeric_limits<int>::max())) << describe_writes(runs.hpa);
  }
}

TEST(AutoscalingSimulation, SteadyLoadInsideTheToleranceBandMakesNoScaleEvents) {
  const Trace trace = steady_trace();
  // The premise: at the replicas the run starts with, the load is inside the band.
  const OracleOptions oracle = oracle_options(SimulationOptions{});
  const double per_replica_ratio =
      trace.rate(0) * oracle.mean_service_seconds /
      (oracle.target_per_replica * needed_replicas(trace.rate(0), oracle));
  ASSERT_LE(std::abs(per_replica_ratio - 1), hpa_default_behavior().scale_up.tolerance);

  const auto events_per_hour = [](const RunResult& run) {
    return per_hour(static_cast<int64_t>(run.writes.size()), run.duration);
  };
  for (const TraceComparison& runs : compare_on_every_seed(trace)) {
    EXPECT_EQ(events_per_hour(runs.portico), 0) << describe_writes(runs.portico);
    EXPECT_LE(events_per_hour(runs.portico), events_per_hour(runs.hpa))
        << describe_writes(runs.hpa);
  }
}

TEST(AutoscalingSimulation, SquareWavesReverseAtMostOncePerTenMinutes) {
  for (const Trace& trace : {square_wave_trace(kMinute), square_wave_trace(10 * kMinute)}) {
    for (const TraceComparison& runs : compare_on_every_seed(trace)) {
      const double portico = reversals_per(runs.portico, 10 * kMinute);
      const double hpa = reversals_per(runs.hpa, 10 * kMinute);
      EXPECT_LE(portico, 1.0) << describe_writes(runs.portico);
      EXPECT_LE(portico, hpa) << describe_writes(runs.portico) << "\n" << describe_writes(runs.hpa);
    }
  }
}

TEST(AutoscalingSimulation, DiurnalReplicaSecondsAreWithinTenPercentOfTheOracle) {
  for (const TraceComparison& runs : compare_on_every_seed(diurnal_trace())) {
    const double portico = runs.portico.replica_seconds / runs.oracle_replica_seconds;
    const double hpa = runs.hpa.replica_seconds / runs.oracle_replica_seconds;
    EXPECT_LE(portico, 1.10) << describe_writes(runs.portico);
    EXPECT_LE(portico, hpa) << describe_writes(runs.hpa);
  }
}

TEST(AutoscalingSimulation, ColdStartServesEveryRequest) {
  for (const TraceComparison& runs : compare_on_every_seed(idle_burst_trace(kScaleToZeroAfter))) {
    // The premise: some bursts did meet zero replicas, so requests were held.
    ASSERT_GT(runs.portico.requests.held, 0) << describe_writes(runs.portico);
    EXPECT_EQ(runs.portico.requests.failed_overflow, 0) << describe_writes(runs.portico);
    EXPECT_EQ(runs.portico.requests.failed_timeout, 0) << describe_writes(runs.portico);
    EXPECT_LE(runs.portico.requests.failed(), runs.hpa.requests.failed());
  }
}

TEST(AutoscalingSimulation, ScalesToZeroOnlyAfterScaleToZeroAfter) {
  const Trace trace = idle_burst_trace(kScaleToZeroAfter);
  for (uint64_t seed : kSeeds) {
    const RunResult run = simulate(trace, portico_loop_options(), with_seed(seed));
    for (const Interval& gap : trace.idle_gaps) {
      const bool longer = gap.end - gap.begin > kScaleToZeroAfter;
      EXPECT_EQ(min_spec_within(run, gap) == 0, longer)
          << "gap of " << (gap.end - gap.begin) / kSecond << " s\n"
          << describe_writes(run);
    }
  }
}

TEST(AutoscalingSimulation, NoScaleDownDuringAMetricsDropOut) {
  const Trace trace = metrics_drop_out_trace();
  const Interval drop_out = trace.metrics_drop_outs.at(0);
  const int32_t needed = needed_replicas(trace.rate(drop_out.begin), oracle_options({}));
  for (const TraceComparison& runs : compare_on_every_seed(trace)) {
    for (const RunResult* run : {&runs.portico, &runs.hpa}) {
      // The premise: when the metrics go, each controller still runs more than the load needs.
      ASSERT_GT(spec_at(*run, drop_out.begin), needed) << describe_writes(*run);
    }
    const int portico = scale_downs_within(runs.portico, drop_out);
    EXPECT_EQ(portico, 0) << describe_writes(runs.portico);
    EXPECT_LE(portico, scale_downs_within(runs.hpa, drop_out)) << describe_writes(runs.hpa);
  }
}

}  // namespace
}  // namespace portico::simulation
