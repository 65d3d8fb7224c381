#include "controller/status/status_updates.h"

#include "controller/status/publish_addresses.h"
#include "controller/translate/ingress_class_filter.h"

namespace portico::controller::status {

std::vector<IngressStatusUpdate> status_updates(const StoreContents& contents,
                                                const TranslateOptions& options,
                                                const LoadBalancerStatus& target) {
  const LoadBalancerStatus wanted = normalized(target);
  std::vector<IngressStatusUpdate> updates;
  for (const auto& [key, ingress] : contents.ingresses) {
    if (!is_our_ingress(*ingress, contents.ingress_classes, options)) continue;
    if (normalized(ingress->status) == wanted) continue;
    updates.push_back({ingress->meta.namespace_, ingress->meta.name, wanted});
  }
  return updates;
}

}  // namespace portico::controller::status
