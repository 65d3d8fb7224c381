#pragma once
// Random: a uniformly random endpoint per request, weights ignored. Stateless, so workers
// never move in step.
#include "proxy/balancer/load_balancer.h"

namespace portico::proxy {

// Holds no state: safe from any thread.
class RandomBalancer final : public LoadBalancer {
 public:
  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;
};

}  // namespace portico::proxy
