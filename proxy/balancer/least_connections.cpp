#include "proxy/balancer/least_connections.h"

#include <algorithm>

#include "proxy/balancer/slow_start.h"

namespace portico::proxy {

std::optional<std::size_t> LeastConnectionsBalancer::pick(std::span<const Endpoint> endpoints,
                                                          const PickRequest& request) {
  const std::size_t count = endpoints.size();
  if (count == 0) return std::nullopt;
  if (next_ >= count) next_ %= count;

  std::size_t best = next_;
  int64_t best_load = 0;    // active + 1
  int64_t best_weight = 0;  // 0 until the first endpoint is scored
  for (std::size_t offset = 0, i = next_; offset < count;
       ++offset, i = i + 1 == count ? 0 : i + 1) {
    const Endpoint& endpoint = endpoints[i];
    // Clamped so that load * weight stays inside int64_t (see kMaxActive, kMaxWeight).
    const int64_t load =
        std::clamp<int64_t>(endpoint.state->active_requests.load(std::memory_order_relaxed), 0,
                            kMaxActive) +
        1;
    const int64_t weight = slow_start_weight(
        weighted_ ? endpoint.weight : 1, endpoint.state->created_ns, request.now_ns, slow_start_);
    // load / weight < best_load / best_weight, both weights positive.
    if (best_weight == 0 || load * best_weight < best_load * weight) {
      best = i;
      best_load = load;
      best_weight = weight;
    }
  }
  next_ = best + 1 == count ? 0 : best + 1;
  return best;
}

}  // namespace portico::proxy
