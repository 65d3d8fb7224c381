#pragma once
// The parts of Kubernetes ObjectMeta the controller uses. Plain values: no behaviour beyond
// identity, safe to copy between threads once built.
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace portico::controller {

struct ObjectMeta {
  // "default" for namespaced kinds when the manifest omits it; empty for cluster-scoped kinds.
  std::string namespace_ = "default";
  std::string name;
  std::string uid;
  // Absent in most hand-written manifests; such objects sort as the oldest.
  std::optional<std::chrono::system_clock::time_point> creation_timestamp;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string resource_version;

  // "namespace/name", or "name" for cluster-scoped objects: the store key and the name used
  // in warnings and logs.
  std::string key() const { return namespace_.empty() ? name : namespace_ + "/" + name; }

  bool operator==(const ObjectMeta&) const = default;
};

}  // namespace portico::controller
