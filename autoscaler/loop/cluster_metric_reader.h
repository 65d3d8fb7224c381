#pragma once
// MetricReader over the cluster: CPU from metrics.k8s.io and the target's pods, queue depth
// from the QueueDepthBoard (as the caller's signal turns it into a figure), Prometheus
// through its HTTP API. The autoscaler's thread only.
#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "autoscaler/loop/metric_reader.h"
#include "controller/kube/api_client.h"
#include "controller/store/store_contents.h"

namespace portico::autoscaler {

// Ready endpoints (one per pod address) of Service "namespace/name" in `contents`.
int32_t ready_endpoints(const controller::StoreContents& contents, const std::string& service);

class ClusterMetricReader final : public MetricReader {
 public:
  // `queue_depth` gives the figure of policy "namespace/name" for "namespace/service".
  ClusterMetricReader(controller::kube::ApiClient& client,
                      std::function<double(const std::string&, const std::string&)> queue_depth,
                      std::chrono::milliseconds prometheus_timeout);

  // The store's view for this round of evaluations (endpoints for ready replicas).
  void set_contents(controller::StoreContents contents) { contents_ = std::move(contents); }
  const controller::StoreContents& contents() const { return contents_; }

  MetricSample read(const controller::ScalingPolicy& policy,
                    const controller::ScalingMetric& metric, const Scale& scale) override;
  // Ready endpoints of the policy's first queue-depth Service (one per pod); unset without one.
  std::optional<int32_t> ready_replicas(const controller::ScalingPolicy& policy) override;

 private:
  controller::kube::ApiClient& client_;
  const std::function<double(const std::string&, const std::string&)> queue_depth_;
  const std::chrono::milliseconds prometheus_timeout_;
  controller::StoreContents contents_;
};

}  // namespace portico::autoscaler
