#include "proxy/balancer/maglev_table.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string_view>

#include "proxy/balancer/hash_key.h"

namespace portico::proxy {
namespace {

constexpr std::size_t kSlotsPerEndpoint = 100;
constexpr std::size_t kDefaultTableSize = 65521;  // the largest prime below 2^16
constexpr std::size_t kMaxTableSize = 131071;
constexpr uint32_t kEmpty = std::numeric_limits<uint32_t>::max();

// One endpoint's walk through its preference list (the paper's permutation[i]): slot
// offset, offset + skip, offset + 2 skip, ... modulo the prime table size, which visits
// every slot because skip is in [1, M - 1].
struct Candidate {
  std::string_view identity;
  uint32_t index = 0;
  uint64_t weight = 0;
  uint64_t position = 0;
  uint64_t skip = 0;
  // Envoy's weighting: the candidate claims a slot in round r only while
  // r * weight >= claimed * max_weight, so over R rounds it claims about R * weight /
  // max_weight slots and the heaviest claims one every round.
  uint64_t claim_threshold = 0;

  // position + skip < 2 size, so one subtraction replaces a division.
  void advance(uint64_t size) {
    position += skip;
    if (position >= size) position -= size;
  }
};

}  // namespace

std::size_t MaglevTable::table_size_for(std::size_t endpoint_count) {
  return endpoint_count * kSlotsPerEndpoint <= kDefaultTableSize ? kDefaultTableSize
                                                                 : kMaxTableSize;
}

std::shared_ptr<const MaglevTable> MaglevTable::build(std::span<const Endpoint> endpoints) {
  if (endpoints.empty()) return std::shared_ptr<const MaglevTable>(new MaglevTable({}, 0));
  const uint64_t size = table_size_for(endpoints.size());
  const bool all_weightless =
      std::ranges::all_of(endpoints, [](const Endpoint& endpoint) { return endpoint.weight == 0; });

  std::vector<Candidate> candidates;
  candidates.reserve(endpoints.size());
  uint64_t max_weight = 0;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    assert(endpoints[i].state != nullptr);
    const uint64_t weight = all_weightless ? 1 : endpoints[i].weight;
    if (weight == 0) continue;
    const std::string_view identity = endpoints[i].state->identity;
    candidates.push_back({.identity = identity,
                          .index = static_cast<uint32_t>(i),
                          .weight = weight,
                          .position = hash_bytes(identity, 0) % size,
                          .skip = hash_bytes(identity, 1) % (size - 1) + 1});
    max_weight = std::max(max_weight, weight);
  }
  // The fill order decides who wins a contested slot, so it must not depend on the order
  // the endpoints were listed in.
  std::ranges::sort(candidates, {}, &Candidate::identity);

  std::vector<uint32_t> slots(size, kEmpty);
  uint64_t filled = 0;
  for (uint64_t round = 1; filled < size; ++round) {
    for (Candidate& candidate : candidates) {
      if (filled == size) break;
      if (round * candidate.weight < candidate.claim_threshold) continue;
      candidate.claim_threshold += max_weight;
      while (slots[candidate.position] != kEmpty) candidate.advance(size);
      slots[candidate.position] = candidate.index;
      candidate.advance(size);
      ++filled;
    }
  }
  return std::shared_ptr<const MaglevTable>(new MaglevTable(std::move(slots), endpoints.size()));
}

}  // namespace portico::proxy
