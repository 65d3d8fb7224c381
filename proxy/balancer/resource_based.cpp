#include "proxy/balancer/resource_based.h"

#include "proxy/balancer/slow_start.h"

namespace portico::proxy {

std::optional<std::size_t> ResourceBasedBalancer::pick(std::span<const Endpoint> endpoints,
                                                       const PickRequest& request) {
  const auto ramped = [&](const Endpoint& endpoint, uint32_t weight) {
    return slow_start_weight(weight, endpoint.state->created_ns, request.now_ns, slow_start_);
  };
  const std::optional<std::size_t> picked =
      rotation_.pick(endpoints.size(), [&](std::size_t i) -> int64_t {
        const Endpoint& endpoint = endpoints[i];
        int32_t earned = endpoint.state->resource_weight.load(std::memory_order_relaxed);
        if (earned < 0) earned = kUnknownResourceWeight;
        if (earned == 0) return 0;
        return ramped(endpoint, static_cast<uint32_t>(earned) * endpoint.weight);
      });
  if (picked || endpoints.empty()) return picked;
  return rotation_.pick(endpoints.size(),
                        [&](std::size_t i) { return ramped(endpoints[i], endpoints[i].weight); });
}

}  // namespace portico::proxy
