#include "autoscaler/loop/service_endpoints.h"

#include <set>

namespace portico::autoscaler {

std::vector<std::string> ready_pod_addresses(const controller::StoreContents& contents,
                                             const std::string& service) {
  std::set<std::string> ready;
  for (const auto& [key, slice] : contents.endpoint_slices) {
    if (slice->meta.namespace_ + "/" + slice->service_name() != service) continue;
    for (const controller::SliceEndpoint& endpoint : slice->endpoints) {
      if (endpoint.conditions.ready.value_or(true) && !endpoint.addresses.empty()) {
        ready.insert(endpoint.addresses.front());
      }
    }
  }
  return {ready.begin(), ready.end()};
}

}  // namespace portico::autoscaler
