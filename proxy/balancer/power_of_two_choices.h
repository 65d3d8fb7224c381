#pragma once
// Power of two choices (Mitzenmacher): two distinct random endpoints, the one with fewer
// requests in flight wins. Almost as even as least-connections, without scanning every
// endpoint and without every worker herding onto the same least-loaded one.
#include "proxy/balancer/load_balancer.h"

namespace portico::proxy {

// Holds no state of its own; reads EndpointState::active_requests (relaxed atomics written
// by every worker). Safe from any thread.
class PowerOfTwoChoicesBalancer final : public LoadBalancer {
 public:
  // Both candidates come from `request.random`: the same word gives the same pick. A tie
  // goes to the first candidate, which is itself uniformly random.
  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;
};

}  // namespace portico::proxy
