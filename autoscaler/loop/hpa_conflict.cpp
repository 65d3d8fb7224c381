#include "autoscaler/loop/hpa_conflict.h"

#include <tuple>

#include "controller/kube/api_json.h"

namespace portico::autoscaler {
namespace {

std::string string_at(const web::json::value& object, const std::string& field) {
  if (!object.is_object() || !object.has_string_field(field)) return {};
  return object.at(field).as_string();
}

}  // namespace

Result<std::optional<std::string>> hpa_targeting(const std::string& list_body,
                                                 const std::string& deployment) {
  Result<controller::kube::ListPage> page = controller::kube::parse_list_page(list_body);
  if (!page) return Error{page.error()};
  for (const web::json::value& hpa : page.value().items) {
    if (!hpa.has_object_field("spec") || !hpa.at("spec").has_object_field("scaleTargetRef")) {
      continue;
    }
    const web::json::value& target = hpa.at("spec").at("scaleTargetRef");
    if (string_at(target, "kind") == "Deployment" && string_at(target, "name") == deployment) {
      return std::optional<std::string>(
          hpa.has_object_field("metadata") ? string_at(hpa.at("metadata"), "name") : "");
    }
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> find_conflicting_hpa(controller::kube::ApiClient& client,
                                                        const std::string& namespace_,
                                                        const std::string& deployment) {
  Result<controller::kube::ApiResponse> response =
      client.call(controller::kube::Method::kGet,
                  "/apis/autoscaling/v2/namespaces/" + namespace_ + "/horizontalpodautoscalers");
  if (!response) return Error{"listing HorizontalPodAutoscalers: " + response.error()};
  if (response.value().status == 404) return std::optional<std::string>();
  if (response.value().status != 200) {
    return Error{"listing HorizontalPodAutoscalers: " +
                 controller::kube::describe_error(response.value().status, response.value().body)};
  }
  return hpa_targeting(response.value().body, deployment);
}

std::optional<std::string> older_policy_for_target(
    const std::map<std::string, std::shared_ptr<const controller::ScalingPolicy>>& policies,
    const controller::ScalingPolicy& policy) {
  // A policy created at an unknown time sorts last: it cannot claim to be the first.
  const auto age = [](const controller::ScalingPolicy& candidate) {
    return std::make_tuple(
        !candidate.meta.creation_timestamp.has_value(),
        candidate.meta.creation_timestamp.value_or(std::chrono::system_clock::time_point{}),
        candidate.meta.name);
  };
  const controller::ScalingPolicy* oldest = &policy;
  for (const auto& [key, candidate] : policies) {
    if (candidate->meta.namespace_ == policy.meta.namespace_ &&
        candidate->target_name == policy.target_name && age(*candidate) < age(*oldest)) {
      oldest = candidate.get();
    }
  }
  if (oldest == &policy || oldest->meta.name == policy.meta.name) return std::nullopt;
  return oldest->meta.name;
}

}  // namespace portico::autoscaler
