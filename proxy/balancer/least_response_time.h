#pragma once
// least-response-time: power of two choices over peak-EWMA costs, as Finagle's and
// linkerd's balancers do. Two distinct endpoints drawn at random from request.random, the
// cheaper one wins (peak_ewma_cost: response-time average times requests in flight + 1).
// With two endpoints the draw is both of them, so the pick is the exact minimum, ties broken
// at random. Sampling two rather than scanning all keeps a pick O(1) and stops every worker
// from herding onto the same momentarily cheapest endpoint. Endpoint weights are not
// consulted: response times already measure capacity.
//
// Threads: LoadBalancer's contract. The balancer has no state of its own; every worker's
// picks and samples meet in EndpointState's atomics.
#include <cstddef>
#include <optional>
#include <span>

#include "proxy/balancer/load_balancer.h"

namespace portico::proxy {

class LeastResponseTimeBalancer final : public LoadBalancer {
 public:
  LeastResponseTimeBalancer() = default;

  // Worker thread; no locks, no allocation.
  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;
};

}  // namespace portico::proxy
