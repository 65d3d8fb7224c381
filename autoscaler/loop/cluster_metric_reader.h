#pragma once
// MetricReader over the cluster: CPU from metrics.k8s.io and the target's pods, queue depth
// from the QueueDepthBoard (as the caller's signal turns it into a figure), Prometheus through
// its HTTP API, read every `prometheus_period` on a thread of its own (BackgroundReads), so
// that a Prometheus that hangs until the query timeout holds up no evaluation. The
// autoscaler's thread only, but for start() and stop().
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "autoscaler/loop/background_reads.h"
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
                      std::chrono::milliseconds prometheus_timeout,
                      std::chrono::milliseconds prometheus_period);

  // The Prometheus reading thread.
  void start() { prometheus_.start(); }
  void stop() { prometheus_.stop(); }

  // The prometheus metrics of `policies` are read from now on, the others no more.
  void track_prometheus(const std::vector<const controller::ScalingPolicy*>& policies);

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
  // A value older than this (three reads missed) is no longer the backlog.
  const std::chrono::milliseconds prometheus_stale_after_;
  controller::StoreContents contents_;
  BackgroundReads<double> prometheus_;  // by prometheus_key(); last: its thread stops first
};

}  // namespace portico::autoscaler
