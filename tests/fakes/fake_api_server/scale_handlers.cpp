// The scale subresource of Deployments (autoscaling/v1 Scale), as the API server derives it:
// spec.replicas from the Deployment's, status.replicas and status.selector from its status
// and label selector. Writes change only the Deployment's spec.replicas, with the
// Deployment's resourceVersion as the Scale's (so a stale write is a 409).
#include <string>

#include "tests/fakes/fake_api_server/resource_handlers.h"

namespace portico::testing {
namespace {

using web::json::value;

int replicas_at(const value& object, const char* section) {
  if (!object.has_object_field(section)) return 0;
  const value& part = object.at(section);
  return part.has_integer_field("replicas") ? part.at("replicas").as_integer() : 0;
}

// "app=web,tier=front" from spec.selector.matchLabels, as status.selector carries it.
std::string selector_text(const value& deployment) {
  std::string text;
  if (!deployment.has_object_field("spec") || !deployment.at("spec").has_object_field("selector") ||
      !deployment.at("spec").at("selector").has_object_field("matchLabels")) {
    return text;
  }
  for (const auto& [key, label] :
       deployment.at("spec").at("selector").at("matchLabels").as_object()) {
    if (!text.empty()) text += ",";
    text += key + "=" + (label.is_string() ? label.as_string() : label.serialize());
  }
  return text;
}

value scale_of(const StoredObject& deployment) {
  value scale = value::object();
  scale["kind"] = value::string("Scale");
  scale["apiVersion"] = value::string("autoscaling/v1");
  value& metadata = scale["metadata"];
  metadata["name"] = value::string(deployment.name);
  metadata["namespace"] = value::string(deployment.namespace_);
  metadata["resourceVersion"] = value::string(std::to_string(deployment.resource_version));
  // A Deployment without spec.replicas has 1, as the API server defaults it.
  const bool has_replicas = deployment.value.has_object_field("spec") &&
                            deployment.value.at("spec").has_integer_field("replicas");
  scale["spec"]["replicas"] =
      value::number(has_replicas ? replicas_at(deployment.value, "spec") : 1);
  scale["status"]["replicas"] = value::number(replicas_at(deployment.value, "status"));
  scale["status"]["selector"] = value::string(selector_text(deployment.value));
  return scale;
}

Result<value> parse_body(const ResourceRequest& request) {
  try {
    value body = value::parse(request.http.body);
    if (!body.is_object()) return Error{"the body is not a JSON object"};
    return body;
  } catch (const web::json::json_exception& error) {
    return Error{std::string("the body is not JSON: ") + error.what()};
  }
}

}  // namespace

Reply handle_scale(const ResourceRequest& request) {
  if (request.path.resource != "/apis/apps/v1/deployments") return not_found_reply(request);
  const ObjectRef stored =
      request.core.store.find(request.path.resource, request.path.namespace_, request.path.name);
  if (!stored) return not_found_reply(request);
  const std::string& method = request.http.method;
  if (method == "GET") return Reply{200, scale_of(*stored).serialize(), nullptr};
  if (method != "PUT" && method != "PATCH") {
    return error_reply(405, "method " + method + " not allowed on the scale subresource");
  }
  Result<value> body = parse_body(request);
  if (!body) return error_reply(400, body.error());
  const value& sent = body.value();
  const std::string version =
      sent.has_object_field("metadata") ? string_field(sent.at("metadata"), "resourceVersion") : "";
  if (!version.empty() && version != std::to_string(stored->resource_version)) {
    return object_error_reply(request, 409, "Conflict",
                              "Operation cannot be fulfilled on deployments.apps \"" +
                                  stored->name +
                                  "\": the object has been modified; please apply your changes "
                                  "to the latest version and try again");
  }
  if (!sent.has_object_field("spec") || !sent.at("spec").has_integer_field("replicas") ||
      sent.at("spec").at("replicas").as_integer() < 0) {
    return error_reply(422, "spec.replicas: Invalid value: must be a non-negative integer");
  }
  value next = stored->value;
  next["spec"]["replicas"] = sent.at("spec").at("replicas");
  const ObjectRef written = request.core.write(request.path.resource, std::move(next));
  return Reply{200, scale_of(*written).serialize(), nullptr};
}

}  // namespace portico::testing
