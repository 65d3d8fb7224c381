#include "autoscaler/loop/cluster_metric_reader.h"

#include <set>
#include <variant>

#include "autoscaler/loop/cpu_sampler.h"
#include "autoscaler/sources/prometheus_query.h"

namespace portico::autoscaler {

int32_t ready_endpoints(const controller::StoreContents& contents, const std::string& service) {
  std::set<std::string> ready;
  for (const auto& [key, slice] : contents.endpoint_slices) {
    if (slice->meta.namespace_ + "/" + slice->service_name() != service) continue;
    for (const controller::SliceEndpoint& endpoint : slice->endpoints) {
      if (endpoint.conditions.ready.value_or(true) && !endpoint.addresses.empty()) {
        ready.insert(endpoint.addresses.front());
      }
    }
  }
  return static_cast<int32_t>(ready.size());
}

ClusterMetricReader::ClusterMetricReader(
    controller::kube::ApiClient& client,
    std::function<double(const std::string&, const std::string&)> queue_depth,
    std::chrono::milliseconds prometheus_timeout)
    : client_(client),
      queue_depth_(std::move(queue_depth)),
      prometheus_timeout_(prometheus_timeout) {}

MetricSample ClusterMetricReader::read(const controller::ScalingPolicy& policy,
                                       const controller::ScalingMetric& metric,
                                       const Scale& scale) {
  if (std::holds_alternative<controller::CpuMetric>(metric)) {
    return read_cpu_sample(client_, policy.meta.namespace_, scale.selector,
                           std::chrono::system_clock::now());
  }
  if (const auto* queue = std::get_if<controller::QueueDepthMetric>(&metric)) {
    return TotalSample{
        queue_depth_(policy.meta.key(), policy.meta.namespace_ + "/" + queue->service)};
  }
  const auto& prometheus = std::get<controller::PrometheusMetric>(metric);
  Result<double> value = query_prometheus(prometheus.url, prometheus.query, prometheus_timeout_);
  if (!value) return InvalidSample{value.error()};
  return TotalSample{value.value()};
}

std::optional<int32_t> ClusterMetricReader::ready_replicas(
    const controller::ScalingPolicy& policy) {
  for (const controller::ScalingMetric& metric : policy.metrics) {
    const auto* queue = std::get_if<controller::QueueDepthMetric>(&metric);
    if (queue != nullptr) {
      return ready_endpoints(contents_, policy.meta.namespace_ + "/" + queue->service);
    }
  }
  return std::nullopt;
}

}  // namespace portico::autoscaler
