#pragma once
// Round robin: each endpoint in turn, weights ignored. The default algorithm.
#include <cstddef>
#include <cstdint>

#include "proxy/balancer/load_balancer.h"

namespace portico::proxy {

// Owned by one worker (see LoadBalancer): plain fields, no synchronization.
class RoundRobinBalancer final : public LoadBalancer {
 public:
  // The first pick is endpoint `seed % count`, so that workers do not all start at the same
  // endpoint after a snapshot swap.
  explicit RoundRobinBalancer(uint64_t seed) : next_(seed) {}

  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;

 private:
  uint64_t next_;
};

}  // namespace portico::proxy
