#include "proxy/balancer/round_robin.h"

namespace portico::proxy {

std::optional<std::size_t> RoundRobinBalancer::pick(std::span<const Endpoint> endpoints,
                                                    const PickRequest& /*request*/) {
  const std::size_t count = endpoints.size();
  if (count == 0) return std::nullopt;
  // Reduced here rather than in the constructor because the count is only known now.
  if (next_ >= count) next_ %= count;
  const std::size_t picked = next_;
  next_ = picked + 1 == count ? 0 : picked + 1;
  return picked;
}

}  // namespace portico::proxy
