#include "tests/fakes/fake_api_server/request_router.h"

#include <optional>

#include "tests/fakes/fake_api_server/api_path.h"
#include "tests/fakes/fake_api_server/resource_handlers.h"

namespace portico::testing {
namespace {

using web::json::value;

constexpr std::string_view kNoSuchResource = "the server could not find the requested resource";

Reply json_reply(const value& body) {
  return Reply{200, body.serialize(), nullptr};
}

value string_array(const std::vector<std::string>& strings) {
  value array = value::array();
  for (std::size_t i = 0; i < strings.size(); ++i) array[i] = value::string(strings[i]);
  return array;
}

// The APIResourceList of a served group-version: the resources the fake knows of there,
// and any other that holds objects.
value resource_list(const ServerCore& core, const std::string& group_version) {
  std::map<std::string, bool> resources;  // plural name -> namespaced
  for (const KnownResource& known : known_resources()) {
    if (group_version_of(known.resource) == group_version) {
      resources[plural_of(known.resource)] = known.namespaced;
    }
  }
  for (const auto& [resource, namespaced] : core.store.resources()) {
    if (group_version_of(resource) == group_version) {
      resources.try_emplace(plural_of(resource), namespaced);
    }
  }
  value list = value::object();
  list["kind"] = value::string("APIResourceList");
  list["apiVersion"] = value::string("v1");
  list["groupVersion"] = value::string(api_version_of(group_version));
  list["resources"] = value::array();
  std::size_t index = 0;
  for (const auto& [plural, namespaced] : resources) {
    value entry = value::object();
    entry["name"] = value::string(plural);
    entry["singularName"] = value::string("");
    entry["namespaced"] = value::boolean(namespaced);
    entry["kind"] = value::string(core.store.kind_of(group_version + '/' + plural));
    entry["verbs"] = string_array({"create", "delete", "get", "list", "patch", "update", "watch"});
    list["resources"][index++] = entry;
  }
  return list;
}

// GET /api, /apis and /version; nullopt for any other path.
std::optional<Reply> root_discovery(const ServerCore& core, const std::string& path) {
  const auto& served = core.served_group_versions;
  if (path == "/api") {
    if (!served.contains("/api/v1")) return error_reply(404, kNoSuchResource);
    value versions = value::object();
    versions["kind"] = value::string("APIVersions");
    versions["versions"] = string_array({"v1"});
    return json_reply(versions);
  }
  if (path == "/apis") {
    value groups = value::object();
    groups["kind"] = value::string("APIGroupList");
    groups["apiVersion"] = value::string("v1");
    groups["groups"] = value::array();
    std::size_t index = 0;
    for (const std::string& group_version : served) {
      if (!group_version.starts_with("/apis/")) continue;
      value version = value::object();
      version["groupVersion"] = value::string(api_version_of(group_version));
      version["version"] = value::string(group_version.substr(group_version.rfind('/') + 1));
      value group = value::object();
      group["name"] = value::string(group_of(group_version));
      group["versions"][0] = version;
      group["preferredVersion"] = version;
      groups["groups"][index++] = group;
    }
    return json_reply(groups);
  }
  if (path == "/version") {
    value version = value::object();
    version["major"] = value::string("1");
    version["minor"] = value::string("30");
    version["gitVersion"] = value::string("v1.30.0-portico-fake");
    return json_reply(version);
  }
  return std::nullopt;
}

Reply route_locked(ServerCore& core, const HttpRequest& request, int fd) {
  core.requests.push_back(RecordedRequest{request.method, request.target, request.authorization,
                                          request.content_type, request.body});
  const std::string& token = core.options.bearer_token;
  if (!token.empty() && request.authorization != "Bearer " + token) {
    return error_reply(401, "Unauthorized");
  }
  if (core.failures_left > 0) {
    --core.failures_left;
    return error_reply(core.failure_status, "fake API server: injected failure");
  }

  const RequestTarget target = split_target(request.target);
  const std::optional<ApiPath> path = parse_api_path(target.path);
  if (!path) {
    if (request.method != "GET") return error_reply(405, "method not allowed");
    std::optional<Reply> reply = root_discovery(core, target.path);
    return reply ? std::move(*reply) : error_reply(404, kNoSuchResource);
  }
  if (!core.served_group_versions.contains(path->group_version)) {
    return error_reply(404, kNoSuchResource);
  }
  if (path->resource.empty()) {
    if (request.method != "GET") return error_reply(405, "method not allowed");
    return json_reply(resource_list(core, path->group_version));
  }
  const ResourceRequest resource_request{core, request, *path, target, fd};
  return path->name.empty() ? handle_collection(resource_request) : handle_object(resource_request);
}

}  // namespace

Reply route_request(ServerCore& core, const HttpRequest& request, int fd) {
  const std::lock_guard lock(core.mutex);
  return route_locked(core, request, fd);
}

}  // namespace portico::testing
