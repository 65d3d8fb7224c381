// Reads and writes of one object and of its status subresource. As on the real API server,
// writes to the object keep its stored status and writes to /status change nothing else.
#include <string_view>

#include "tests/fakes/fake_api_server/api_status.h"
#include "tests/fakes/fake_api_server/merge_patch.h"
#include "tests/fakes/fake_api_server/resource_handlers.h"

namespace portico::testing {
namespace {

using web::json::value;

bool is_status(const ResourceRequest& request) {
  return request.path.subresource == "status";
}

// `status` of `source` (or its absence) in `target`.
void copy_status(value& target, const value& source) {
  if (source.has_field("status")) {
    target["status"] = source.at("status");
  } else if (target.has_field("status")) {
    target.erase("status");
  }
}

// 409 when the client sent a resourceVersion that is no longer the stored one.
std::optional<Reply> conflict(const ResourceRequest& request, const value& sent,
                              const StoredObject& stored) {
  const std::string version =
      sent.has_object_field("metadata") ? string_field(sent.at("metadata"), "resourceVersion") : "";
  if (version.empty() || version == std::to_string(stored.resource_version)) return std::nullopt;
  return object_error_reply(request, 409, "Conflict",
                            "Operation cannot be fulfilled on " +
                                describe_object(request.path.resource, request.path.name) +
                                ": the object has been modified; please apply your changes to "
                                "the latest version and try again");
}

// Stores `written` (the object as the client would have it) with the status rule.
Reply store_write(const ResourceRequest& request, const StoredObject& stored, value written) {
  value next = stored.value;
  if (is_status(request)) {
    copy_status(next, written);
  } else {
    copy_status(written, stored.value);
    next = std::move(written);
  }
  const ObjectRef result = request.core.write(request.path.resource, std::move(next));
  return Reply{200, result->json, nullptr};
}

Reply update(const ResourceRequest& request, const StoredObject& stored) {
  Result<value> parsed = object_from_body(request);
  if (!parsed) return error_reply(400, parsed.error());
  value& object = parsed.value();
  value& metadata = object["metadata"];
  const std::string name = string_field(metadata, "name");
  if (name.empty()) metadata["name"] = value::string(request.path.name);
  if (!name.empty() && name != request.path.name) {
    return error_reply(400, "the name of the object (" + name +
                                ") does not match the name on the URL (" + request.path.name + ")");
  }
  if (std::optional<Reply> refused = conflict(request, object, stored)) return std::move(*refused);
  return store_write(request, stored, std::move(object));
}

Reply patch(const ResourceRequest& request, const StoredObject& stored) {
  const std::string_view media_type =
      std::string_view(request.http.content_type).substr(0, request.http.content_type.find(';'));
  if (media_type != "application/merge-patch+json" &&
      media_type != "application/strategic-merge-patch+json") {
    return error_reply(415,
                       "the body of the request was in an unknown format - accepted media types "
                       "include: application/merge-patch+json, "
                       "application/strategic-merge-patch+json");
  }
  value patch_body;
  try {
    patch_body = value::parse(request.http.body);
  } catch (const web::json::json_exception& error) {
    return error_reply(400, std::string("the patch is not JSON: ") + error.what());
  }
  if (std::optional<Reply> refused = conflict(request, patch_body, stored)) {
    return std::move(*refused);
  }
  value patched = stored.value;
  apply_merge_patch(patched, patch_body);
  if (!patched.has_object_field("metadata") ||
      string_field(patched.at("metadata"), "name") != stored.name ||
      string_field(patched.at("metadata"), "namespace") != stored.namespace_) {
    return error_reply(400, "a patch cannot change metadata.name or metadata.namespace");
  }
  return store_write(request, stored, std::move(patched));
}

}  // namespace

Reply handle_object(const ResourceRequest& request) {
  if (request.path.subresource == "scale") return handle_scale(request);
  if (!request.path.subresource.empty() && !is_status(request)) return not_found_reply(request);
  const std::string& method = request.http.method;
  ServerCore& core = request.core;
  const ObjectRef stored =
      core.store.find(request.path.resource, request.path.namespace_, request.path.name);
  if (method == "DELETE" && !is_status(request)) {
    const ObjectRef deleted =
        core.remove(request.path.resource, request.path.namespace_, request.path.name);
    return deleted ? Reply{200, deleted->json, nullptr} : not_found_reply(request);
  }
  if (method != "GET" && method != "PUT" && method != "PATCH") {
    return error_reply(405, "method " + method + " not allowed on " + request.path.resource);
  }
  if (!stored) return not_found_reply(request);
  if (method == "GET") return Reply{200, stored->json, nullptr};
  if (method == "PUT") return update(request, *stored);
  return patch(request, *stored);
}

}  // namespace portico::testing
