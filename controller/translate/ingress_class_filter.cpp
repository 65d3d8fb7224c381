#include "controller/translate/ingress_class_filter.h"

#include <algorithm>

namespace portico::controller {

bool is_our_ingress(const Ingress& ingress, const StoreContents::ByKey<IngressClass>& classes,
                    const TranslateOptions& options) {
  if (ingress.ingress_class_name) {
    if (*ingress.ingress_class_name != options.ingress_class) return false;
    auto it = classes.find(*ingress.ingress_class_name);
    return it == classes.end() || it->second->controller == options.controller_name;
  }
  auto legacy = ingress.meta.annotations.find(kLegacyClassAnnotation);
  if (legacy != ingress.meta.annotations.end()) return legacy->second == options.ingress_class;
  return std::any_of(classes.begin(), classes.end(), [&](const auto& entry) {
    return entry.second->controller == options.controller_name && entry.second->is_default();
  });
}

}  // namespace portico::controller
