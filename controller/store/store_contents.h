#pragma once
// What the store holds, as one value: the input of snapshot translation.
#include <map>
#include <memory>
#include <string>

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

  // Adds or overwrites `object` under its key; true if that changed anything.
  bool put(Object object);
  // Removes the object of `object`'s kind and key; true if it was there.
  bool erase(const Object& object);
  std::size_t size() const;
};

}  // namespace portico::controller
