#include "autoscaler/loop/cpu_sampler.h"

#include <unordered_map>

#include <cpprest/base_uri.h>

#include "controller/decode/api_decoders.h"
#include "controller/kube/api_json.h"
#include "controller/metrics/pod_cpu_request.h"
#include "controller/metrics/pod_metrics_client.h"

namespace portico::autoscaler {
namespace {

using controller::Pod;
using SystemTime = std::chrono::system_clock::time_point;

bool counts_as_ready(const Pod& pod, const controller::metrics::PodUsage* usage, SystemTime now) {
  const SystemTime started = pod.start_time.value_or(SystemTime{});
  if (pod.start_time && started + kCpuInitializationPeriod > now) {
    if (!pod.ready || usage == nullptr || !pod.ready_transition) return pod.ready;
    return usage->timestamp - kMetricsWindow >= *pod.ready_transition;
  }
  if (pod.ready) return true;
  // Not ready now: it counts as unready only if it has not been ready since start-up.
  return !pod.ready_transition || !pod.start_time ||
         started + kInitialReadinessDelay <= *pod.ready_transition;
}

}  // namespace

CpuSample cpu_sample_of(const std::vector<Pod>& pods,
                        const std::vector<controller::metrics::PodUsage>& usage, SystemTime now) {
  std::unordered_map<std::string, const controller::metrics::PodUsage*> usage_by_name;
  for (const auto& pod_usage : usage) usage_by_name[pod_usage.name] = &pod_usage;
  CpuSample sample;
  for (const Pod& pod : pods) {
    PodSample pod_sample;
    pod_sample.name = pod.meta.name;
    pod_sample.cpu_request_milli = controller::metrics::pod_cpu_request_milli(pod);
    const auto found = usage_by_name.find(pod.meta.name);
    const controller::metrics::PodUsage* pod_usage =
        found == usage_by_name.end() ? nullptr : found->second;
    if (pod.deleting || pod.phase == "Failed" || pod.phase == "Succeeded") {
      pod_sample.phase = PodSample::Phase::kIgnored;
    } else if (pod.phase == "Pending") {
      pod_sample.phase = PodSample::Phase::kPending;
    } else {
      pod_sample.ready = counts_as_ready(pod, pod_usage, now);
    }
    if (pod_usage != nullptr) pod_sample.cpu_usage_milli = pod_usage->cpu_milli;
    sample.pods.push_back(std::move(pod_sample));
  }
  return sample;
}

MetricSample read_cpu_sample(controller::kube::ApiClient& client, const std::string& namespace_,
                             const std::string& selector, SystemTime now) {
  if (selector.empty()) return InvalidSample{"the scale subresource reports no pod selector"};
  const std::string target = "/api/v1/namespaces/" + namespace_ +
                             "/pods?labelSelector=" + web::uri::encode_data_string(selector);
  Result<controller::kube::ApiResponse> response =
      client.call(controller::kube::Method::kGet, target);
  if (!response) return InvalidSample{"listing pods: " + response.error()};
  if (response.value().status != 200) {
    return InvalidSample{"listing pods: " + controller::kube::describe_error(
                                                response.value().status, response.value().body)};
  }
  Result<controller::kube::ListPage> page =
      controller::kube::parse_list_page(response.value().body);
  if (!page) return InvalidSample{"listing pods: " + page.error()};
  std::vector<Pod> pods;
  for (const web::json::value& item : page.value().items) {
    Result<controller::Object> decoded = controller::decode_api_object("Pod", item, "Pod");
    if (decoded) pods.push_back(std::get<Pod>(std::move(decoded.value())));
  }
  Result<std::vector<controller::metrics::PodUsage>> usage = controller::metrics::list_pod_usage(
      client, controller::metrics::PodMetricsQuery{namespace_, selector});
  if (!usage) return InvalidSample{usage.error()};
  return cpu_sample_of(pods, usage.value(), now);
}

}  // namespace portico::autoscaler
