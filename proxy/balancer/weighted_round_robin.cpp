#include "proxy/balancer/weighted_round_robin.h"

#include <algorithm>

#include "proxy/balancer/slow_start.h"

namespace portico::proxy {
namespace {

// The phase is reached by playing picks on the first call; this caps that one-off cost at
// about this many credit updates, whatever the weights and the endpoint count.
constexpr int64_t kPhaseWork = 1 << 16;

}  // namespace

void SmoothWeightedRoundRobin::reset(std::size_t count) {
  weights_.assign(count, 0);
  credits_.assign(count, 0);
  phased_ = false;
}

std::size_t SmoothWeightedRoundRobin::step(int64_t total) {
  std::size_t best = 0;
  bool found = false;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    if (weights_[i] == 0) continue;
    credits_[i] += weights_[i];
    // Strictly greater: on equal credit the lower index wins, as in nginx.
    if (!found || credits_[i] > credits_[best]) {
      best = i;
      found = true;
    }
  }
  credits_[best] -= total;
  return best;
}

std::optional<std::size_t> SmoothWeightedRoundRobin::pick_with_weights() {
  int64_t total = 0;
  for (const int64_t weight : weights_) total += weight;
  if (total == 0) return std::nullopt;
  if (!phased_) {
    phased_ = true;
    // One cycle is total / kWeightScale picks when every weight is whole (no ramp).
    const int64_t cycle = std::clamp<int64_t>(
        total / kWeightScale, 1, std::max<int64_t>(1, kPhaseWork / std::ssize(weights_)));
    for (uint64_t skip = seed_ % static_cast<uint64_t>(cycle); skip > 0; --skip) step(total);
  }
  return step(total);
}

std::optional<std::size_t> WeightedRoundRobinBalancer::pick(std::span<const Endpoint> endpoints,
                                                            const PickRequest& request) {
  return rotation_.pick(endpoints.size(), [&](std::size_t i) {
    const Endpoint& endpoint = endpoints[i];
    return slow_start_weight(endpoint.weight, endpoint.state->created_ns, request.now_ns,
                             slow_start_);
  });
}

}  // namespace portico::proxy
