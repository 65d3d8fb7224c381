#pragma once
// What the autoscaler exports to Prometheus, per policy: a copy the loop replaces after each
// round and the scrape reads, guarded by one mutex (the scrape is rare; the loop holds it
// only to swap). Any thread.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "autoscaler/decision/replica_decision.h"

namespace portico::autoscaler {

struct PolicyFigures {
  std::string namespace_;
  std::string policy;
  int32_t desired_replicas = 0;
  int32_t current_replicas = 0;
  std::vector<std::pair<std::string, double>> metric_values;  // metric label, value
  uint64_t scale_ups = 0;
  uint64_t scale_downs = 0;
};

// The `metric` label of each proposal that has a value: its kind ("cpu", "queueDepth",
// "prometheus"), or, when the policy has several of one kind, the kind and its position in
// spec.metrics ("queueDepth[1]"), so that no two series of one policy share their labels.
std::vector<std::pair<std::string, double>> metric_values_of(
    const std::vector<MetricProposal>& proposals);

class AutoscalerFigures final : public prometheus::Collectable {
 public:
  void replace(std::vector<PolicyFigures> figures);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mutex_;
  std::vector<PolicyFigures> figures_;
};

}  // namespace portico::autoscaler
