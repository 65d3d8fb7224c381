#pragma once
// Google's Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software
// Network Load Balancer", NSDI 2016, section 3.4) with Envoy's weighting: consistent hashing
// whose lookup is one array read, whose endpoints own equal shares of the slots to within
// one slot (or shares proportional to their weights), and which moves only about 1/N of the
// keys when one of N endpoints comes or goes.
//
// Threads: built on the control plane together with the snapshot; immutable afterwards, so
// every worker looks up concurrently without synchronization.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

class MaglevTable {
 public:
  // The table over `endpoints`, whose states must be set. Each endpoint's slots follow from
  // its identity ("ip:port") alone, never from its position in the list, so an endpoint keeps
  // its keys when others are added, removed or reordered. An endpoint of weight w claims
  // w / max_weight as many slots as the heaviest one; weight 0 claims none, unless every
  // weight is 0, when they are all treated as equal. Control plane; pure; O(M log M) for a
  // table of M slots.
  static std::shared_ptr<const MaglevTable> build(std::span<const Endpoint> endpoints);

  // The number of slots for `endpoint_count` endpoints, a prime: 65521 for up to 655
  // endpoints, 131071 (512 KiB of table, the cap) beyond. Few sizes on purpose: a new size
  // remaps nearly every key, so the size stays put while pools scale. Each endpoint owns
  // at least 100 slots (shares within 1 % of even) up to 1310 endpoints; past that shares
  // are coarser, and past 131071 endpoints some own no slot at all.
  static std::size_t table_size_for(std::size_t endpoint_count);

  // An index into the endpoints the table was built from. Requires endpoint_count() > 0.
  // Any thread; O(1); no allocation.
  std::size_t lookup(uint64_t hash) const { return slots_[hash % slots_.size()]; }

  std::size_t endpoint_count() const { return endpoint_count_; }
  std::size_t table_size() const { return slots_.size(); }

 private:
  MaglevTable(std::vector<uint32_t> slots, std::size_t endpoint_count)
      : slots_(std::move(slots)), endpoint_count_(endpoint_count) {}

  std::vector<uint32_t> slots_;  // slot -> endpoint index; empty when there are no endpoints
  std::size_t endpoint_count_;
};

}  // namespace portico::proxy
