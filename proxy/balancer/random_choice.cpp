#include "proxy/balancer/random_choice.h"

namespace portico::proxy {

std::optional<std::size_t> RandomBalancer::pick(std::span<const Endpoint> endpoints,
                                                const PickRequest& request) {
  if (endpoints.empty()) return std::nullopt;
  // The modulo bias is count / 2^64: far below anything a distribution could show.
  return static_cast<std::size_t>(request.random % endpoints.size());
}

}  // namespace portico::proxy
