#include "tests/simulation/simulation.h"

#include <algorithm>
#include <cmath>

#include "tests/simulation/portico_loop.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {
namespace {

enum Stream : uint64_t { kArrivals = 1, kPodStarts = 2, kApiFaults = 3 };

struct Arrival {
  Millis at = 0;
  Millis service = 0;
};

// The requests arriving in [now, now + step): a Poisson count at the step's mid-point rate,
// spread uniformly over the step's milliseconds.
std::vector<Arrival> draw_arrivals(Random& random, const Trace& trace, Millis now,
                                   const SimulationOptions& options) {
  const double rate = trace.rate(now + options.step / 2);
  const int64_t count = random.poisson(rate * static_cast<double>(options.step) / 1000.0);
  std::vector<Arrival> arrivals(static_cast<size_t>(count));
  const double mean_service_ms = options.mean_service_seconds * 1000.0;
  for (Arrival& arrival : arrivals) {
    arrival.at = now + random.uniform_int(0, options.step - 1);
    arrival.service = std::max<Millis>(1, std::llround(random.exponential(mean_service_ms)));
  }
  // A total order on the values, so any sort algorithm gives the same sequence.
  std::sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) {
    return a.at != b.at ? a.at < b.at : a.service < b.service;
  });
  return arrivals;
}

}  // namespace

OracleOptions oracle_options(const SimulationOptions& options) {
  OracleOptions oracle;
  oracle.mean_service_seconds = options.mean_service_seconds;
  oracle.target_per_replica = kQueueDepthTargetPerReplica;
  oracle.start_delay = (options.pods.start_min + options.pods.start_max) / 2;
  return oracle;
}

RunResult simulate(const Trace& trace, const LoopOptions& loop_options,
                   const SimulationOptions& options) {
  const Random root(options.seed);
  Random arrivals = root.stream(kArrivals);
  const int32_t initial = std::max(needed_replicas(trace.rate(0), oracle_options(options)),
                                   loop_options.policy.min_replicas);
  Deployment deployment(options.pods, root.stream(kPodStarts), initial);
  ProxyModel proxy(deployment, options.proxy);
  MetricsServer metrics(options.metrics, trace.metrics_drop_outs);
  SimScaleApi api(initial, options.api, root.stream(kApiFaults));
  AutoscalerLoop loop(loop_options, api);
  VirtualClock clock;

  RunResult result;
  result.trace = trace.name;
  result.controller = loop_options.name;
  result.seed = options.seed;
  result.duration = trace.duration;
  double live_pod_ms = 0;
  for (Millis now = 0; now < trace.duration; now += options.step) {
    clock.advance_to(now);
    const int32_t spec = api.spec_replicas(now);
    if (spec != deployment.spec_replicas()) deployment.scale(spec, now);
    proxy.dispatch(now);
    metrics.advance(now, deployment);
    loop.step(now, deployment, proxy, metrics);
    if (now % options.sample_period == 0) {
      result.series.push_back({now, deployment.spec_replicas(), deployment.live_pods(),
                               deployment.ready_pods(now), proxy.queue_depth()});
    }
    live_pod_ms += static_cast<double>(deployment.live_pods()) * static_cast<double>(options.step);
    for (const Arrival& arrival : draw_arrivals(arrivals, trace, now, options)) {
      proxy.run_until(arrival.at);
      proxy.arrive(arrival.at, arrival.service);
    }
    proxy.run_until(now + options.step - 1);
  }
  result.evaluations = loop.evaluations();
  result.writes = loop.writes();
  result.failed_evaluations = loop.failed_evaluations();
  result.requests = proxy.counts();
  result.api = api.counts();
  result.replica_seconds = live_pod_ms / 1000.0;
  result.start_delays = deployment.start_delays();
  return result;
}

}  // namespace portico::simulation
