#include "controller/store/store_contents.h"

namespace portico::controller {
namespace {

template <typename T>
StoreContents::ByKey<T>& map_for(StoreContents& contents);
template <>
StoreContents::ByKey<Ingress>& map_for(StoreContents& contents) {
  return contents.ingresses;
}
template <>
StoreContents::ByKey<IngressClass>& map_for(StoreContents& contents) {
  return contents.ingress_classes;
}
template <>
StoreContents::ByKey<Service>& map_for(StoreContents& contents) {
  return contents.services;
}
template <>
StoreContents::ByKey<EndpointSlice>& map_for(StoreContents& contents) {
  return contents.endpoint_slices;
}
template <>
StoreContents::ByKey<Secret>& map_for(StoreContents& contents) {
  return contents.secrets;
}
template <>
StoreContents::ByKey<Pod>& map_for(StoreContents& contents) {
  return contents.pods;
}
template <>
StoreContents::ByKey<ScalingPolicy>& map_for(StoreContents& contents) {
  return contents.scaling_policies;
}

template <typename Function>
decltype(auto) with_map(StoreContents& contents, ObjectKind kind, Function&& function) {
  switch (kind) {
    case ObjectKind::kIngress:
      return function(contents.ingresses);
    case ObjectKind::kIngressClass:
      return function(contents.ingress_classes);
    case ObjectKind::kService:
      return function(contents.services);
    case ObjectKind::kEndpointSlice:
      return function(contents.endpoint_slices);
    case ObjectKind::kSecret:
      return function(contents.secrets);
    case ObjectKind::kPod:
      return function(contents.pods);
    case ObjectKind::kScalingPolicy:
      break;
  }
  return function(contents.scaling_policies);
}

// Copies entries of `next` whose value equals the one in `previous`, so that unchanged
// objects stay the same pointers; reports whether the maps differ.
template <typename T>
bool keep_unchanged(const StoreContents::ByKey<T>& previous, StoreContents::ByKey<T>& next) {
  bool changed = previous.size() != next.size();
  for (auto& [key, object] : next) {
    auto it = previous.find(key);
    if (it != previous.end() && *it->second == *object) {
      object = it->second;
    } else {
      changed = true;
    }
  }
  return changed;
}

}  // namespace

bool StoreContents::put(Object object) {
  return std::visit(
      [this](auto& typed) {
        using T = std::decay_t<decltype(typed)>;
        auto& map = map_for<T>(*this);
        std::string key = typed.meta.key();
        auto it = map.find(key);
        if (it != map.end() && *it->second == typed) return false;
        auto shared = std::make_shared<const T>(std::move(typed));
        if (it != map.end()) {
          it->second = std::move(shared);
        } else {
          map.emplace(std::move(key), std::move(shared));
        }
        return true;
      },
      object);
}

bool StoreContents::erase(const Object& object) {
  return std::visit(
      [this](const auto& typed) {
        using T = std::decay_t<decltype(typed)>;
        return map_for<T>(*this).erase(typed.meta.key()) > 0;
      },
      object);
}

bool StoreContents::erase(ObjectKind kind, const std::string& key) {
  return with_map(*this, kind, [&key](auto& map) { return map.erase(key) > 0; });
}

bool StoreContents::adopt_kind(ObjectKind kind, StoreContents& next,
                               const std::vector<std::string>& keep) {
  return with_map(*this, kind, [&](auto& current) {
    using T =
        std::remove_const_t<typename std::decay_t<decltype(current)>::mapped_type::element_type>;
    auto& incoming = map_for<T>(next);
    for (const std::string& key : keep) {
      if (auto it = current.find(key); it != current.end()) incoming[key] = it->second;
    }
    const bool changed = keep_unchanged(current, incoming);
    current = std::move(incoming);
    return changed;
  });
}

std::size_t StoreContents::size() const {
  return ingresses.size() + ingress_classes.size() + services.size() + endpoint_slices.size() +
         secrets.size() + pods.size() + scaling_policies.size();
}

}  // namespace portico::controller
