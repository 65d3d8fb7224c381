#include "autoscaler/loop/cluster_metric_reader.h"

#include <variant>

#include "autoscaler/loop/cpu_sampler.h"
#include "autoscaler/loop/service_endpoints.h"
#include "autoscaler/sources/prometheus_query.h"

namespace portico::autoscaler {

namespace {

// A URL holds no space (the decoder refuses one), a query may: the first one parts them, and
// the key reads well in a log line.
std::string prometheus_key(const controller::PrometheusMetric& metric) {
  return metric.url + " " + metric.query;
}

Result<double> query_by_key(const std::string& key, std::chrono::milliseconds timeout) {
  const std::size_t split = key.find(' ');
  return query_prometheus(key.substr(0, split), key.substr(split + 1), timeout);
}

}  // namespace

int32_t ready_endpoints(const controller::StoreContents& contents, const std::string& service) {
  return static_cast<int32_t>(ready_pod_addresses(contents, service).size());
}

ClusterMetricReader::ClusterMetricReader(
    controller::kube::ApiClient& client,
    std::function<double(const std::string&, const std::string&)> queue_depth,
    std::chrono::milliseconds prometheus_timeout, std::chrono::milliseconds prometheus_period)
    : client_(client),
      queue_depth_(std::move(queue_depth)),
      prometheus_stale_after_(3 * (prometheus_period + prometheus_timeout)),
      prometheus_([prometheus_timeout](
                      const std::string& key) { return query_by_key(key, prometheus_timeout); },
                  prometheus_period, "a prometheus metric") {}

void ClusterMetricReader::track_prometheus(
    const std::vector<const controller::ScalingPolicy*>& policies) {
  std::set<std::string> keys;
  for (const controller::ScalingPolicy* policy : policies) {
    for (const controller::ScalingMetric& metric : policy->metrics) {
      if (const auto* prometheus = std::get_if<controller::PrometheusMetric>(&metric)) {
        keys.insert(prometheus_key(*prometheus));
      }
    }
  }
  prometheus_.set_keys({keys.begin(), keys.end()});
}

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
  const auto all = prometheus_.latest();
  const auto latest = all.find(prometheus_key(prometheus));
  if (latest == all.end()) return InvalidSample{"prometheus query not answered yet"};
  // A query that now fails is invalid, as the HPA takes an external metric it cannot fetch.
  if (!latest->second.error.empty()) return InvalidSample{latest->second.error};
  const auto age = std::chrono::steady_clock::now() - latest->second.read_at;
  if (!latest->second.value || age > prometheus_stale_after_) {
    return InvalidSample{
        "prometheus query last answered " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) + "s ago"};
  }
  return TotalSample{*latest->second.value};
}

std::optional<int32_t> ClusterMetricReader::ready_replicas(
    const controller::ScalingPolicy& policy) {
  const std::vector<std::string> services = controller::queue_depth_services(policy);
  if (services.empty()) return std::nullopt;
  return ready_endpoints(contents_, services.front());
}

}  // namespace portico::autoscaler
