#pragma once
// The seam between the autoscaler's loop and where metrics come from: the cluster (CPU from
// metrics.k8s.io, queue depth from Portico's replicas, a Prometheus query) in production,
// scripted values in tests.
#include <cstdint>
#include <optional>

#include "autoscaler/decision/replica_decision.h"
#include "autoscaler/scale/scale_client.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// Called on the autoscaler's thread only; may block (bounded by the implementation's
// timeouts).
class MetricReader {
 public:
  virtual ~MetricReader() = default;
  // The sample of `metric`, one of `policy`'s metrics, for the target whose scale is `scale`.
  virtual MetricSample read(const controller::ScalingPolicy& policy,
                            const controller::ScalingMetric& metric, const Scale& scale) = 0;
  // The target's ready replicas, which the total metrics (queue depth, Prometheus) are
  // divided by; unset when unknown, and the scale's status.replicas is used, as the HPA does.
  virtual std::optional<int32_t> ready_replicas(const controller::ScalingPolicy& policy) = 0;
};

}  // namespace portico::autoscaler
