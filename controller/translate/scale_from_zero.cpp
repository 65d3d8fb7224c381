#include "controller/translate/scale_from_zero.h"

#include <algorithm>

namespace portico::controller {

std::map<std::string, proxy::HoldWhenEmpty> services_held_when_empty(
    const StoreContents& contents) {
  std::map<std::string, proxy::HoldWhenEmpty> held;
  for (const auto& [key, policy] : contents.scaling_policies) {
    if (policy->min_replicas != 0) continue;
    const proxy::HoldWhenEmpty hold{policy->scale_to_zero.queue_size,
                                    policy->scale_to_zero.queue_timeout};
    for (const std::string& service : queue_depth_services(*policy)) {
      auto [it, inserted] = held.try_emplace(service, hold);
      if (!inserted) {
        it->second.queue_size = std::max(it->second.queue_size, hold.queue_size);
        it->second.timeout = std::max(it->second.timeout, hold.timeout);
      }
    }
  }
  return held;
}

}  // namespace portico::controller
