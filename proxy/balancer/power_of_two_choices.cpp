#include "proxy/balancer/power_of_two_choices.h"

namespace portico::proxy {
namespace {

// splitmix64's finalizer: a second word, independent enough of the first, from one
// random word, so that the session need not draw two.
uint64_t remix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::optional<std::size_t> PowerOfTwoChoicesBalancer::pick(std::span<const Endpoint> endpoints,
                                                           const PickRequest& request) {
  const std::size_t count = endpoints.size();
  if (count == 0) return std::nullopt;
  if (count == 1) return 0;
  const std::size_t first = request.random % count;
  // An offset in [1, count) makes the second candidate uniform over the other endpoints.
  const std::size_t second = (first + 1 + remix(request.random) % (count - 1)) % count;
  const int64_t first_active =
      endpoints[first].state->active_requests.load(std::memory_order_relaxed);
  const int64_t second_active =
      endpoints[second].state->active_requests.load(std::memory_order_relaxed);
  return second_active < first_active ? second : first;
}

}  // namespace portico::proxy
