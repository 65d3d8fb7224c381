#pragma once
// The harness: one run of one trace against one autoscaler loop, in 100 ms steps of virtual
// time. Requests are a Poisson process drawn from the trace's rate, each with an exponential
// service time; within a step they and their completions are handled in millisecond order.
// Everything random comes from one seed through independent streams (arrivals, pod starts,
// API faults), so two controllers on the same trace and seed see the same requests.
// Single-threaded; a run shares nothing with another.
#include <cstdint>
#include <string>
#include <vector>

#include "tests/simulation/autoscaler_loop.h"
#include "tests/simulation/deployment_model.h"
#include "tests/simulation/metrics_server.h"
#include "tests/simulation/oracle.h"
#include "tests/simulation/proxy_model.h"
#include "tests/simulation/scale_api.h"
#include "tests/simulation/traces.h"

namespace portico::simulation {

struct SimulationOptions {
  uint64_t seed = 0x5eed0001;
  Millis step = 100;
  Millis sample_period = kSecond;  // of the recorded series
  double mean_service_seconds = 0.1;
  PodOptions pods;
  ProxyOptions proxy;
  MetricsServerOptions metrics;
  ScaleApiOptions api;
};

struct SeriesPoint {
  Millis at = 0;
  int32_t spec = 0;  // spec.replicas as the Deployment controller has it
  int32_t live = 0;  // pods not being deleted (starting or ready)
  int32_t ready = 0;
  int64_t queue_depth = 0;
};

struct RunResult {
  std::string trace;
  std::string controller;
  uint64_t seed = 0;
  Millis duration = 0;
  std::vector<Evaluation> evaluations;
  std::vector<ScaleWrite> writes;
  int64_t failed_evaluations = 0;
  std::vector<SeriesPoint> series;
  RequestCounts requests;
  ScaleApiCounts api;
  double replica_seconds = 0;        // live pods over the run
  std::vector<Millis> start_delays;  // of the pods created, in order
};

// The oracle for the same service time, target and typical start delay.
OracleOptions oracle_options(const SimulationOptions& options);

// Each run starts with the replicas the trace's initial load needs, all ready (at least the
// policy's minimum).
RunResult simulate(const Trace& trace, const LoopOptions& loop, const SimulationOptions& options);

}  // namespace portico::simulation
