#include "controller/metrics/pod_metrics_client.h"

#include <cpprest/base_uri.h>
#include <cpprest/json.h>

#include "common/log.h"
#include "controller/decode/quantity.h"
#include "controller/decode/rfc3339.h"
#include "controller/kube/api_json.h"

namespace portico::controller::metrics {
namespace {

constexpr char kGroupVersion[] = "/apis/metrics.k8s.io/v1beta1";

const web::json::value* member(const web::json::value& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto& fields = object.as_object();
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : &it->second;
}

std::string string_member(const web::json::value& object, const char* name) {
  const web::json::value* value = member(object, name);
  return value != nullptr && value->is_string() ? value->as_string() : std::string();
}

// One PodMetrics item; an error names what is wrong with it.
Result<PodUsage> read_item(const web::json::value& item) {
  PodUsage usage;
  const web::json::value* metadata = member(item, "metadata");
  if (metadata == nullptr) return Error{"PodMetrics without metadata"};
  usage.namespace_ = string_member(*metadata, "namespace");
  usage.name = string_member(*metadata, "name");
  if (usage.name.empty()) return Error{"PodMetrics without metadata.name"};
  if (auto at = parse_rfc3339(string_member(item, "timestamp"))) usage.timestamp = *at;
  const web::json::value* containers = member(item, "containers");
  if (containers == nullptr || !containers->is_array()) {
    return Error{usage.key() + ": PodMetrics without containers"};
  }
  for (const web::json::value& container : containers->as_array()) {
    const web::json::value* resources = member(container, "usage");
    const std::string cpu = resources == nullptr ? std::string() : string_member(*resources, "cpu");
    Result<int64_t> milli = parse_milli_value(cpu);
    if (!milli) return Error{usage.key() + ": container usage.cpu: " + milli.error()};
    usage.cpu_milli += milli.value();
  }
  return usage;
}

}  // namespace

Result<std::vector<PodUsage>> parse_pod_metrics_list(const std::string& body) {
  // Not parse_list_page(): the metrics API is not backed by etcd and may send no
  // resourceVersion at all, which a watchable list must have.
  web::json::value list;
  try {
    list = web::json::value::parse(body);
  } catch (const web::json::json_exception& error) {
    return Error{std::string("PodMetricsList is not JSON: ") + error.what()};
  }
  const web::json::value* items = member(list, "items");
  if (items == nullptr || !items->is_array()) return Error{"PodMetricsList without items"};
  std::vector<PodUsage> usages;
  usages.reserve(items->as_array().size());
  for (const web::json::value& item : items->as_array()) {
    Result<PodUsage> usage = read_item(item);
    if (!usage) {
      log::warn("metrics.k8s.io: skipping a pod: " + usage.error());
      continue;
    }
    usages.push_back(std::move(usage.value()));
  }
  return usages;
}

Result<std::vector<PodUsage>> list_pod_usage(kube::ApiClient& client,
                                             const PodMetricsQuery& query) {
  std::string target = kGroupVersion;
  if (!query.namespace_.empty()) target += "/namespaces/" + query.namespace_;
  target += "/pods";
  if (!query.label_selector.empty()) {
    target += "?labelSelector=" + web::uri::encode_data_string(query.label_selector);
  }
  Result<kube::ApiResponse> response = client.call(kube::Method::kGet, target);
  if (!response) return Error{"metrics.k8s.io: " + response.error()};
  const kube::ApiResponse& answer = response.value();
  if (answer.status == 404) {
    return Error{"metrics.k8s.io is not served (is metrics-server installed?)"};
  }
  if (answer.status != 200) {
    return Error{"metrics.k8s.io: " + kube::describe_error(answer.status, answer.body)};
  }
  return parse_pod_metrics_list(answer.body);
}

}  // namespace portico::controller::metrics
