#pragma once
// Smooth weighted round robin, as nginx's ngx_http_upstream_get_peer(): every pick adds each
// endpoint's weight to its running credit, the endpoint with the most credit wins and pays
// back the total. Weights 5:3:2 give exactly 5, 3 and 2 picks per cycle of 10, spread out
// (a b c a a b a c b a) rather than in bursts.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "proxy/balancer/load_balancer.h"

namespace portico::proxy {

// The algorithm without an opinion on where weights come from; weighted round robin and
// resource-based feed it theirs. Owned by one worker: plain fields, no synchronization.
class SmoothWeightedRoundRobin {
 public:
  // `seed` picks the phase: the first pick with positive weights starts the cycle
  // `seed % cycle` picks in, so that workers do not move in step.
  explicit SmoothWeightedRoundRobin(uint64_t seed) : seed_(seed) {}

  // `weight_of(i)` is endpoint i's weight in kWeightScale units for this pick; 0 leaves it
  // out. nullopt when `count` is 0 or every weight is 0 (the credits are then untouched).
  // Allocates only on the first pick (or if `count` ever changes).
  template <typename WeightOf>
  std::optional<std::size_t> pick(std::size_t count, WeightOf&& weight_of) {
    if (credits_.size() != count) reset(count);
    for (std::size_t i = 0; i < count; ++i) weights_[i] = weight_of(i);
    return pick_with_weights();
  }

 private:
  void reset(std::size_t count);
  std::optional<std::size_t> pick_with_weights();
  std::size_t step(int64_t total);

  const uint64_t seed_;
  bool phased_ = false;
  std::vector<int64_t> weights_;  // scratch for this pick's weights
  std::vector<int64_t> credits_;  // nginx's current_weight
};

// weighted-round-robin: Endpoint::weight, ramped by slow start.
class WeightedRoundRobinBalancer final : public LoadBalancer {
 public:
  WeightedRoundRobinBalancer(std::chrono::nanoseconds slow_start, uint64_t seed)
      : slow_start_(slow_start), rotation_(seed) {}

  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;

 private:
  const std::chrono::nanoseconds slow_start_;
  SmoothWeightedRoundRobin rotation_;
};

}  // namespace portico::proxy
