#include "tests/simulation/metrics_server.h"

#include <utility>

namespace portico::simulation {

std::string cpu_quantity(int64_t nanocores) {
  if (nanocores % 1'000'000'000 == 0) return std::to_string(nanocores / 1'000'000'000);
  if (nanocores % 1'000'000 == 0) return std::to_string(nanocores / 1'000'000) + "m";
  if (nanocores % 1'000 == 0) return std::to_string(nanocores / 1'000) + "u";
  return std::to_string(nanocores) + "n";
}

MetricsServer::MetricsServer(const MetricsServerOptions& options, std::vector<Interval> drop_outs)
    : options_(options), drop_outs_(std::move(drop_outs)), next_scrape_(options.scrape_phase) {}

void MetricsServer::advance(Millis now, const Deployment& deployment) {
  if (now < next_scrape_) return;
  next_scrape_ += options_.scrape_period;
  const int64_t nanocores_per_slot = deployment.options().cpu_per_busy_slot_milli * 1'000'000;
  std::map<std::string, Reading> readings;
  latest_.clear();
  for (const Pod& pod : deployment.pods()) {
    if (pod.terminating) continue;
    const Reading reading{now, pod.busy_slot_ms_at(now)};
    readings[pod.name] = reading;
    auto previous = previous_.find(pod.name);
    if (previous == previous_.end()) continue;
    const Millis window = now - previous->second.at;
    const int64_t busy = reading.busy_slot_ms - previous->second.busy_slot_ms;
    latest_.push_back({pod.name, now, window, cpu_quantity(busy * nanocores_per_slot / window)});
  }
  previous_ = std::move(readings);
}

Result<std::vector<PodMetrics>> MetricsServer::pod_metrics(Millis now) const {
  for (const Interval& drop_out : drop_outs_) {
    if (drop_out.contains(now))
      return Error{"metrics.k8s.io: the server is currently unable to handle the request"};
  }
  return latest_;
}

}  // namespace portico::simulation
