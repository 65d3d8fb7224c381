#include "autoscaler/loop/cluster_metric_reader.h"

#include <variant>

#include "autoscaler/loop/cpu_sampler.h"
#include "autoscaler/loop/service_endpoints.h"
#include "autoscaler/sources/prometheus_query.h"

namespace portico::autoscaler {

int32_t ready_endpoints(const controller::StoreContents& contents, const std::string& service) {
  return static_cast<int32_t>(ready_pod_addresses(contents, service).size());
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
  const std::vector<std::string> services = controller::queue_depth_services(policy);
  if (services.empty()) return std::nullopt;
  return ready_endpoints(contents_, services.front());
}

}  // namespace portico::autoscaler
