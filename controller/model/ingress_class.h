#pragma once
// networking.k8s.io/v1 IngressClass (cluster-scoped: meta.namespace_ is empty).
#include <string>

#include "controller/model/object_meta.h"

namespace portico::controller {

inline constexpr char kIsDefaultClassAnnotation[] = "ingressclass.kubernetes.io/is-default-class";

struct IngressClass {
  ObjectMeta meta;
  std::string controller;  // spec.controller

  bool is_default() const {
    auto it = meta.annotations.find(kIsDefaultClassAnnotation);
    return it != meta.annotations.end() && it->second == "true";
  }

  bool operator==(const IngressClass&) const = default;
};

}  // namespace portico::controller
