#pragma once
// Least connections and weighted least connections: the endpoint with the fewest requests
// in flight per unit of weight wins. As HAProxy's fwlc, the score counts the request about
// to be sent, (active + 1) / weight: with plain active / weight every idle endpoint scores
// 0 whatever its weight, so weights and slow start would do nothing until load builds up.
// Scores are compared by cross-multiplication, never divided.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "proxy/balancer/load_balancer.h"

namespace portico::proxy {

// Owned by one worker (see LoadBalancer); reads EndpointState::active_requests, which every
// worker's sessions update (relaxed atomics: a slightly stale count only costs balance).
class LeastConnectionsBalancer final : public LoadBalancer {
 public:
  // `weighted`: weighted-least-connections (Endpoint::weight counts); otherwise every
  // endpoint weighs 1. Slow start ramps either. `seed` picks where the first scan starts.
  LeastConnectionsBalancer(bool weighted, std::chrono::nanoseconds slow_start, uint64_t seed)
      : weighted_(weighted), slow_start_(slow_start), next_(seed) {}

  // Ties go round robin: the scan starts just after the previous pick and keeps the first
  // best score, so tied endpoints take turns.
  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;

 private:
  const bool weighted_;
  const std::chrono::nanoseconds slow_start_;
  uint64_t next_;
};

}  // namespace portico::proxy
