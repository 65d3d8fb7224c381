#pragma once
// What the store holds, as one value: the input of snapshot translation.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "controller/model/object.h"

namespace portico::controller {

// A plain value with no lock of its own: the ObjectStore guards its copy, and a copy handed
// out is owned by one thread. Objects are shared and immutable, so a copy costs one pointer
// per object. Keys are ObjectMeta::key(): "namespace/name" ("name" for
// IngressClass). Ordered maps keep translation deterministic.
struct StoreContents {
  template <typename T>
  using ByKey = std::map<std::string, std::shared_ptr<const T>>;

  ByKey<Ingress> ingresses;
  ByKey<IngressClass> ingress_classes;
  ByKey<Service> services;
  ByKey<EndpointSlice> endpoint_slices;
  ByKey<Secret> secrets;
  ByKey<Pod> pods;
  ByKey<ScalingPolicy> scaling_policies;
  // Not a Kubernetes object: the addresses DNS gave for each ExternalName Service's name
  // (ExternalNameResolver keeps them), as IP literals.
  std::map<std::string, std::vector<std::string>> resolved_names;

  // Adds or overwrites `object` under its key; true if that changed anything.
  bool put(Object object);
  // Removes the object of `object`'s kind and key; true if it was there.
  bool erase(const Object& object);
  bool erase(ObjectKind kind, const std::string& key);
  // Takes the objects of `kind` from `next` (which is left unspecified for that kind), except
  // that keys in `keep` keep their current object. Objects equal to the current ones keep
  // their identity (their pointer). True if the kind's contents changed.
  bool adopt_kind(ObjectKind kind, StoreContents& next, const std::vector<std::string>& keep);
  std::size_t size() const;
};

}  // namespace portico::controller
