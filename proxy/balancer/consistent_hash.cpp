#include "proxy/balancer/consistent_hash.h"

namespace portico::proxy {

ConsistentHashBalancer::ConsistentHashBalancer(const Backend& backend)
    : table_(backend.hash_table) {}

std::optional<std::size_t> ConsistentHashBalancer::pick(std::span<const Endpoint> endpoints,
                                                        const PickRequest& request) {
  if (endpoints.empty()) return std::nullopt;
  if (table_ != nullptr && table_->endpoint_count() == endpoints.size()) {
    return table_->lookup(request.hash);
  }
  return request.hash % endpoints.size();
}

}  // namespace portico::proxy
