#include "proxy/balancer/least_response_time.h"

#include <cstdint>

#include "proxy/balancer/peak_ewma.h"

namespace portico::proxy {
namespace {

// A uniform index below `bound` from 32 random bits, by multiply and shift rather than a
// division (Lemire's fast range reduction).
std::size_t below(uint32_t random, std::size_t bound) {
  return static_cast<std::size_t>((static_cast<uint64_t>(random) * bound) >> 32);
}

}  // namespace

std::optional<std::size_t> LeastResponseTimeBalancer::pick(std::span<const Endpoint> endpoints,
                                                           const PickRequest& request) {
  const std::size_t count = endpoints.size();
  if (count == 0) return std::nullopt;
  if (count == 1) return 0;
  const std::size_t first = below(static_cast<uint32_t>(request.random), count);
  std::size_t second = below(static_cast<uint32_t>(request.random >> 32), count - 1);
  if (second >= first) ++second;  // distinct from the first, still uniform
  const double first_cost = peak_ewma_cost(*endpoints[first].state, request.now_ns);
  const double second_cost = peak_ewma_cost(*endpoints[second].state, request.now_ns);
  return second_cost < first_cost ? second : first;
}

}  // namespace portico::proxy
