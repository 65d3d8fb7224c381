#pragma once
// Resource-based: smooth weighted round robin over the weight each pod's spare CPU earns
// (EndpointState::resource_weight, written off the hot path from metrics.k8s.io, from
// kIdleResourceWeight when idle down to 0 above the CPU ceiling), multiplied by the
// endpoint's static weight. A pod above the ceiling gets nothing; a pod without metrics yet
// (-1) counts as half-loaded. Slow start ramps either weight: a new pod reports plenty of
// spare CPU before it has warmed up.
#include <chrono>
#include <cstdint>

#include "proxy/balancer/load_balancer.h"
#include "proxy/balancer/weighted_round_robin.h"

namespace portico::proxy {

// What an idle pod earns; a pod whose load is unknown earns half of it.
inline constexpr int32_t kIdleResourceWeight = 100;
inline constexpr int32_t kUnknownResourceWeight = kIdleResourceWeight / 2;

// Owned by one worker (see LoadBalancer); reads the resource weights as relaxed atomics.
class ResourceBasedBalancer final : public LoadBalancer {
 public:
  ResourceBasedBalancer(std::chrono::nanoseconds slow_start, uint64_t seed)
      : slow_start_(slow_start), rotation_(seed) {}

  // When every endpoint is above the ceiling, all of them get their static weights: shedding
  // the whole pool would turn overload into an outage.
  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;

 private:
  const std::chrono::nanoseconds slow_start_;
  SmoothWeightedRoundRobin rotation_;
};

}  // namespace portico::proxy
