#pragma once
// A metric that is a total over the target (queue depth at Portico, a Prometheus backlog),
// against a target per replica by the HPA's rules for an external metric with an AverageValue
// target (replica_calculator.go GetExternalPerPodMetricReplicas), or against plain
// thresholds on the per-replica value. Pure; any thread.
//
// The HPA's rule: the ratio total / (target x replicas) within tolerance changes nothing;
// otherwise the proposal is ceil(total / target), whatever the current count, which is why
// one decision meets a 10x step. Replicas here are the ready ones (at least 1), where the
// HPA uses status.replicas. At zero replicas the proposal is ceil(total / target) with no
// tolerance (the HPA's getUsageRatioReplicaCount for currentReplicas 0).
#include <cstdint>
#include <optional>
#include <string_view>

#include "autoscaler/decision/replica_decision.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

struct TotalMetricSpec {
  std::string_view metric;  // "queueDepth", "prometheus"
  std::string_view label;   // "queue depth", "prometheus value", as explanations say it
  std::optional<double> target_per_replica;
  std::optional<controller::Thresholds> thresholds;
};

// The proposal's value is the total per ready replica; it has no replicas when the metric is
// invalid (a negative or non-finite total, no usable target).
MetricProposal propose_total(const TotalMetricSpec& spec, const TotalSample& sample,
                             int32_t current, int32_t ready,
                             const controller::ScalingBehavior& behavior);

// The total above which propose_total() proposes more than `current` replicas (up to the
// milli-unit rounding): with a target, above both target x current and the tolerance band,
// target x ready x (1 + scaleUp tolerance); with thresholds, above scaleUpAbove x ready; 0 at
// zero replicas, where any total does; infinity when the spec is unusable. What the loop hands
// QueueDepthSignal::should_evaluate() to evaluate at once when a scale-up is due.
double total_scale_up_level(const TotalMetricSpec& spec, int32_t current, int32_t ready,
                            const controller::ScalingBehavior& behavior);

}  // namespace portico::autoscaler
