// Prints the autoscaling simulation's figures as Markdown, for docs/: every trace run by
// Portico's loop and the HPA reference on the same seed, against the oracle.
// Usage: portico_simulation_report [seed]
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/simulation/comparison.h"
#include "tests/simulation/hpa_reference.h"
#include "tests/simulation/portico_loop.h"
#include "tests/simulation/run_figures.h"

namespace portico::simulation {
namespace {

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string seconds(std::optional<Millis> value) {
  return value ? format("%.1f s", static_cast<double>(*value) / kSecond) : "never";
}

void print_model(const SimulationOptions& options) {
  const PodOptions& pods = options.pods;
  const OracleOptions oracle = oracle_options(options);
  std::printf(
      "Seed %#llx, %lld ms steps. Requests: Poisson arrivals at the trace's rate, service time "
      "exponential with mean %.0f ms. Pods: %d requests at once, CPU request %lldm, %lldm per "
      "busy request; ready after %lld-%lld s, or (%.0f %%) after %lld s plus an exponential "
      "tail of mean %lld s. Portico queues requests when every pod is busy and holds them at "
      "zero ready pods (%u at most, %lld s timeout). metrics-server scrapes every %lld s. Scale "
      "API: %lld-%lld ms per call, %.0f %% of writes conflict (409), %.0f %% of calls fail "
      "(5xx).\n\n",
      static_cast<unsigned long long>(options.seed), static_cast<long long>(options.step),
      options.mean_service_seconds * 1000, pods.concurrency,
      static_cast<long long>(pods.cpu_request_milli),
      static_cast<long long>(pods.cpu_per_busy_slot_milli),
      static_cast<long long>(pods.start_min / kSecond),
      static_cast<long long>(pods.start_max / kSecond), pods.slow_start_probability * 100,
      static_cast<long long>(pods.slow_start_min / kSecond),
      static_cast<long long>(pods.slow_start_tail_mean / kSecond), options.proxy.hold_queue_size,
      static_cast<long long>(options.proxy.wait_timeout / kSecond),
      static_cast<long long>(options.metrics.scrape_period / kSecond),
      static_cast<long long>(options.api.min_latency),
      static_cast<long long>(options.api.max_latency), options.api.conflict_probability * 100,
      options.api.server_error_probability * 100);
  const LoopOptions portico_options = portico_loop_options();
  const controller::ScalingRules& up = portico_options.policy.behavior.scale_up;
  const autoscaler::QueueDepthSignalOptions& signal = portico_options.signal;
  std::printf(
      "Portico: CPU %d %% and queue depth %.0f per ready replica, the queue depth read through "
      "QueueDepthSignal (arrival rate x time in system, averaged since the last rise but over "
      "at most %lld s, taken %.0f standard errors low), a %lld s tick plus an evaluation when the "
      "signal rises above the level at which the metric scales up, minReplicas 0, scaleToZero "
      "after %lld s, scale-up at most the larger of +%d %% and +%d pods per %d s, otherwise "
      "the HPA's default behavior. Portico, in-flight only: the same without the arrivals "
      "counter. HPA reference: CPU %d %% only, %lld s sync, minReplicas 1, the HPA's default "
      "behavior. All: maxReplicas %d. Oracle: ceil(rate x %.0f ms / %.0f), each pod started "
      "%lld s before it is needed.\n\n",
      kCpuTargetUtilization, kQueueDepthTargetPerReplica,
      static_cast<long long>(signal.window.count() / 1000), signal.lower_bound_sigmas,
      static_cast<long long>(portico_options.sync_period / kSecond),
      static_cast<long long>(kScaleToZeroAfter / kSecond), up.policies.at(0).value,
      up.policies.at(1).value, up.policies.at(0).period_seconds, kCpuTargetUtilization,
      static_cast<long long>(hpa_reference_options().sync_period / kSecond), kMaxReplicas,
      oracle.mean_service_seconds * 1000, oracle.target_per_replica,
      static_cast<long long>(oracle.start_delay / kSecond));
}

void print_row(const TraceComparison& comparison, const RunResult& run) {
  const Trace& trace = comparison.trace;
  std::string latency = "-";
  std::string writes_needed = "-";
  std::string ready_after = "-";
  if (trace.step_at) {
    const int32_t needed =
        needed_replicas(trace.rate(*trace.step_at), oracle_options(SimulationOptions{}));
    latency = seconds(first_scale_up_latency(run, *trace.step_at));
    const std::optional<int> writes = writes_to_reach(run, *trace.step_at, needed);
    writes_needed = (writes ? std::to_string(*writes) : std::string("never")) + " (" +
                    std::to_string(needed) + ")";
    ready_after = seconds(time_to_ready(run, *trace.step_at, needed));
  }
  std::printf("| %s | %s | %s | %s | %s | %zu (%.1f/h) | %s (%d) | %.2f | %lld / %lld |\n",
              trace.name.c_str(), run.controller.c_str(), latency.c_str(), writes_needed.c_str(),
              ready_after.c_str(), run.writes.size(),
              per_hour(static_cast<int64_t>(run.writes.size()), run.duration),
              format("%.2f", reversals_per(run, 10 * kMinute)).c_str(),
              max_reversals_within(run, 10 * kMinute),
              run.replica_seconds / comparison.oracle_replica_seconds,
              static_cast<long long>(run.requests.failed()),
              static_cast<long long>(run.requests.held));
}

}  // namespace
}  // namespace portico::simulation

int main(int argc, char** argv) {
  using namespace portico::simulation;
  SimulationOptions options;
  if (argc > 1) options.seed = std::strtoull(argv[1], nullptr, 0);
  print_model(options);
  std::printf(
      "| trace | controller | first scale-up after the step | scale writes to the needed "
      "count (needed) | needed pods ready after | scale writes | reversals per 10 min (most in "
      "any 10 min) | replica-seconds / oracle | failed / held requests |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const Trace& trace : all_traces()) {
    const TraceComparison comparison = compare(trace, options);
    print_row(comparison, comparison.portico);
    print_row(comparison, simulate(trace, portico_in_flight_only_options(), options));
    print_row(comparison, comparison.hpa);
    std::printf("| %s | oracle | - | - | - | - | - | 1.00 (%.0f replica-s) | - |\n",
                trace.name.c_str(), comparison.oracle_replica_seconds);
  }
  return 0;
}
