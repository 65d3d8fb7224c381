#pragma once
// Kubernetes API URLs as the fake API server understands them: the target split into path and
// query, and the path split into group-version, resource, namespace, name and subresource.
// Pure functions; thread-safe.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace portico::testing {

struct RequestTarget {
  std::string path;
  std::map<std::string, std::string> query;  // percent-decoded, '+' read as a space (as Go does)
};
RequestTarget split_target(std::string_view target);

// "/api/v1/namespaces/default/services/web/status" gives group_version "/api/v1", resource
// "/api/v1/services", namespace_ "default", name "web", subresource "status". A path with
// nothing after the group-version (discovery) has an empty resource.
struct ApiPath {
  std::string group_version;
  std::string resource;
  std::string namespace_;  // empty: every namespace (collection) or a cluster-scoped object
  std::string name;        // empty: the collection
  std::string subresource;
};
// nullopt when `path` is not under /api/VERSION or /apis/GROUP/VERSION.
std::optional<ApiPath> parse_api_path(std::string_view path);

// Parts of a resource ("/apis/networking.k8s.io/v1/ingresses"): the group-version path
// ("/apis/networking.k8s.io/v1"), the apiVersion ("networking.k8s.io/v1"), the group
// ("networking.k8s.io", empty for core) and the plural name ("ingresses").
std::string group_version_of(std::string_view resource);
std::string api_version_of(std::string_view group_version_or_resource);
std::string group_of(std::string_view resource);
std::string plural_of(std::string_view resource);

// What the fake knows of the resources the controller uses, for kinds in lists, bookmarks
// and discovery; other resources still work, their kind learnt from stored objects.
struct KnownResource {
  std::string_view resource;
  std::string_view kind;
  bool namespaced;
};
std::span<const KnownResource> known_resources();
const KnownResource* find_known_resource(std::string_view resource);

}  // namespace portico::testing
