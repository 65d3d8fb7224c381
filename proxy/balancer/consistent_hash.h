#pragma once
// ip-hash and consistent-hash: a request goes to the endpoint that the backend's Maglev
// table assigns to its hash (PickRequest::hash, the client address or the policy's key,
// hashed by the session), so the same key keeps reaching the same endpoint and a change of
// endpoints moves only about 1/N of the keys.
//
// Threads: LoadBalancer's contract (one instance per worker per backend). It holds only the
// immutable table, shared by every worker.
#include <cstddef>
#include <memory>
#include <optional>
#include <span>

#include "proxy/balancer/load_balancer.h"
#include "proxy/balancer/maglev_table.h"

namespace portico::proxy {

class ConsistentHashBalancer final : public LoadBalancer {
 public:
  explicit ConsistentHashBalancer(const Backend& backend);

  // The table's endpoint for request.hash. When `endpoints` is not the list the table was
  // built from (no table, or a different count: the caller filtered the list), falls back to
  // request.hash % size, which is still stable per key but remaps most keys whenever the
  // list changes; the controller builds the table with every snapshot, so this is the rare
  // path. Worker thread; no locks, no allocation.
  std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                  const PickRequest& request) override;

 private:
  std::shared_ptr<const MaglevTable> table_;
};

}  // namespace portico::proxy
