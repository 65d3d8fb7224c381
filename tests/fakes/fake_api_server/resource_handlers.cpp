#include "tests/fakes/fake_api_server/resource_handlers.h"

#include "tests/fakes/fake_api_server/api_status.h"

namespace portico::testing {

Reply error_reply(int code, std::string_view message) {
  return Reply{code, status_json(code, status_reason(code), message), nullptr};
}

Reply object_error_reply(const ResourceRequest& request, int code, std::string_view reason,
                         std::string_view message) {
  return Reply{code,
               object_status_json(code, reason, request.path.resource, request.path.name, message),
               nullptr};
}

Reply not_found_reply(const ResourceRequest& request) {
  return object_error_reply(
      request, 404, "NotFound",
      describe_object(request.path.resource, request.path.name) + " not found");
}

Result<web::json::value> object_from_body(const ResourceRequest& request) {
  web::json::value object;
  try {
    object = web::json::value::parse(request.http.body);
  } catch (const web::json::json_exception& error) {
    return Error{std::string("the request body is not JSON: ") + error.what()};
  }
  if (!object.is_object()) return Error{"the request body is not a JSON object"};
  if (!object.has_field("metadata")) object["metadata"] = web::json::value::object();
  web::json::value& metadata = object["metadata"];
  if (!metadata.is_object()) return Error{"metadata is not an object"};
  const std::string& url_namespace = request.path.namespace_;
  const std::string body_namespace = string_field(metadata, "namespace");
  if (!url_namespace.empty() && body_namespace.empty()) {
    metadata["namespace"] = web::json::value::string(url_namespace);
  } else if (!url_namespace.empty() && body_namespace != url_namespace) {
    return Error{
        "the namespace of the provided object does not match the namespace sent on the request"};
  }
  return object;
}

}  // namespace portico::testing
