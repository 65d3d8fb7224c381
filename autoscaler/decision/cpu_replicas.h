#pragma once
// The CPU metric: the pods' usage as a percentage of their requests, against a target
// utilization by the HPA's rules (replica_calculator.go GetResourceReplicas) or against plain
// thresholds. Pure; any thread.
//
// The HPA's rules, in order: utilization is sum(usage) x 100 / sum(request) over the ready
// pods with metrics, truncated to a whole percent; within tolerance of the target nothing
// changes. Then, if pods lack metrics, they count as using nothing on a scale-up and as
// using max(100 %, target) of their request on a scale-down; on a scale-up, unready and
// pending pods count as using nothing. If that changes the picture the utilization is taken
// again, and the change is given up when it now lands within tolerance, flips direction, or
// would move the count against the direction.
#include <cstdint>

#include "autoscaler/decision/replica_decision.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// `current` is the target's replica count (spec.replicas). The proposal's value is the
// measured utilization in percent; it has no replicas when the metric is invalid (no pods, no
// pod with metrics, a pod without CPU request, no usable target).
MetricProposal propose_cpu(const controller::CpuMetric& metric, const CpuSample& sample,
                           int32_t current, const controller::ScalingBehavior& behavior);

}  // namespace portico::autoscaler
