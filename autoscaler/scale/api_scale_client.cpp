#include "autoscaler/scale/api_scale_client.h"

#include <limits>

#include <cpprest/json.h>

#include "controller/kube/api_json.h"

namespace portico::autoscaler {
namespace {

using web::json::value;

std::string scale_path(const ScaleTarget& target) {
  return "/apis/apps/v1/namespaces/" + target.namespace_ + "/deployments/" + target.name + "/scale";
}

// A replica count: a whole number within int32, or an error naming the field.
Result<int32_t> replicas_in(const value& scale, const char* section) {
  if (!scale.has_object_field(section)) return 0;
  const value& part = scale.at(section);
  if (!part.has_field("replicas")) return 0;
  const value& replicas = part.at("replicas");
  if (!replicas.is_integer() || replicas.as_number().to_int64() < 0 ||
      replicas.as_number().to_int64() > std::numeric_limits<int32_t>::max()) {
    return Error{std::string(section) + ".replicas is not a replica count"};
  }
  return static_cast<int32_t>(replicas.as_number().to_int64());
}

std::string string_at(const value& object, const char* section, const char* field) {
  if (!object.has_object_field(section)) return {};
  const value& part = object.at(section);
  return part.has_string_field(field) ? part.at(field).as_string() : std::string();
}

}  // namespace

Result<Scale> parse_scale(const std::string& body) {
  value json;
  try {
    json = value::parse(body);
  } catch (const web::json::json_exception& error) {
    return Error{std::string("the Scale is not JSON: ") + error.what()};
  }
  if (!json.is_object()) return Error{"the Scale is not a JSON object"};
  Scale scale;
  Result<int32_t> spec = replicas_in(json, "spec");
  if (!spec) return Error{spec.error()};
  Result<int32_t> status = replicas_in(json, "status");
  if (!status) return Error{status.error()};
  scale.spec_replicas = spec.value();
  scale.status_replicas = status.value();
  scale.selector = string_at(json, "status", "selector");
  scale.resource_version = string_at(json, "metadata", "resourceVersion");
  return scale;
}

Result<Scale> ApiScaleClient::read(const ScaleTarget& target) {
  Result<controller::kube::ApiResponse> response =
      client_.call(controller::kube::Method::kGet, scale_path(target));
  if (!response) return Error{response.error()};
  if (response.value().status != 200) {
    return Error{controller::kube::describe_error(response.value().status, response.value().body)};
  }
  return parse_scale(response.value().body);
}

Result<ScaleClient::WriteResult> ApiScaleClient::write(const ScaleTarget& target, const Scale& seen,
                                                       int32_t replicas) {
  value body = value::object();
  body["apiVersion"] = value::string("autoscaling/v1");
  body["kind"] = value::string("Scale");
  body["metadata"]["name"] = value::string(target.name);
  body["metadata"]["namespace"] = value::string(target.namespace_);
  body["metadata"]["resourceVersion"] = value::string(seen.resource_version);
  body["spec"]["replicas"] = value::number(replicas);
  Result<controller::kube::ApiResponse> response =
      client_.call(controller::kube::Method::kPut, scale_path(target), body.serialize());
  if (!response) return Error{response.error()};
  const int status = response.value().status;
  if (status == 409) return WriteResult::kConflict;
  if (status != 200) {
    return Error{controller::kube::describe_error(status, response.value().body)};
  }
  return WriteResult::kWritten;
}

}  // namespace portico::autoscaler
