#pragma once
// metrics.k8s.io as metrics-server serves it: every `scrape_period` it reads each pod's
// cumulative CPU and publishes the average over the window since its previous scrape, as a
// Kubernetes quantity string ("43629237n", "250m", "0"). A pod seen for the first time has
// no window yet, so no metrics. During a drop-out the API answers with an error.
// Single-threaded.
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "tests/simulation/deployment_model.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct MetricsServerOptions {
  Millis scrape_period = 15 * kSecond;
  // Scrapes happen at phase + k * period: unaligned with the autoscalers' ticks, so what they
  // read is on average half a period old, as in a cluster.
  Millis scrape_phase = 7500;
};

// One PodMetrics item, CPU only.
struct PodMetrics {
  std::string pod;
  Millis timestamp = 0;  // end of the window
  Millis window = 0;
  std::string cpu;  // usage as the API writes it
};

// The canonical form apimachinery gives a DecimalSI quantity of `nanocores` n: the largest
// suffix that keeps it exact ("1", "250m", "43629237n").
std::string cpu_quantity(int64_t nanocores);

class MetricsServer {
 public:
  MetricsServer(const MetricsServerOptions& options, std::vector<Interval> drop_outs);

  // Scrapes `deployment` if a scrape is due by `now`.
  void advance(Millis now, const Deployment& deployment);
  // The latest scrape, or an error while a drop-out covers `now`.
  Result<std::vector<PodMetrics>> pod_metrics(Millis now) const;

 private:
  struct Reading {
    Millis at = 0;
    int64_t busy_slot_ms = 0;
  };

  MetricsServerOptions options_;
  std::vector<Interval> drop_outs_;
  Millis next_scrape_;
  std::map<std::string, Reading> previous_;  // by pod name
  std::vector<PodMetrics> latest_;
};

}  // namespace portico::simulation
