#pragma once
// One decoded Kubernetes object of any kind the controller understands.
#include <string_view>
#include <variant>

#include "controller/model/endpoint_slice.h"
#include "controller/model/ingress.h"
#include "controller/model/ingress_class.h"
#include "controller/model/pod.h"
#include "controller/model/scaling_policy.h"
#include "controller/model/secret.h"
#include "controller/model/service.h"

namespace portico::controller {

using Object =
    std::variant<Ingress, IngressClass, Service, EndpointSlice, Secret, Pod, ScalingPolicy>;
static_assert(std::variant_size_v<Object> == 7, "kind_of() names every alternative");

// The alternatives of Object, in order: a kind index for code that handles one kind at a
// time (a reflector replacing its kind after a relist).
enum class ObjectKind : std::size_t {
  kIngress,
  kIngressClass,
  kService,
  kEndpointSlice,
  kSecret,
  kPod,
  kScalingPolicy
};

inline ObjectKind object_kind(const Object& object) {
  return static_cast<ObjectKind>(object.index());
}

inline const ObjectMeta& meta_of(const Object& object) {
  return std::visit([](const auto& typed) -> const ObjectMeta& { return typed.meta; }, object);
}

inline std::string_view kind_of(const Object& object) {
  static constexpr std::string_view kNames[] = {
      "Ingress", "IngressClass", "Service", "EndpointSlice", "Secret", "Pod", "ScalingPolicy"};
  return kNames[object.index()];
}

}  // namespace portico::controller
