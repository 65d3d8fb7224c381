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

std::size_t StoreContents::size() const {
  return ingresses.size() + ingress_classes.size() + services.size() + endpoint_slices.size();
}

}  // namespace portico::controller
