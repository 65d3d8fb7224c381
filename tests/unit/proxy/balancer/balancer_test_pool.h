#pragma once
// Endpoints and random words for the balancer tests: real EndpointState objects (the
// balancers read their atomics) and a fixed splitmix64 stream, so that every statistical
// test sees the same numbers on every run.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/address_v4.hpp>

#include "proxy/balancer/load_balancer.h"

namespace portico::proxy::balancer_test {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// Endpoint i is 10.0.0.(i+1):80 with weights[i].
inline std::vector<Endpoint> make_endpoints(const std::vector<uint32_t>& weights) {
  std::vector<Endpoint> endpoints;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const auto address = boost::asio::ip::address_v4(0x0a000001u + static_cast<uint32_t>(i));
    Endpoint endpoint;
    endpoint.address = {address, 80};
    endpoint.weight = weights[i];
    endpoint.state = std::make_shared<EndpointState>(endpoint_identity(endpoint.address));
    endpoints.push_back(std::move(endpoint));
  }
  return endpoints;
}

inline std::vector<Endpoint> make_endpoints(std::size_t count) {
  return make_endpoints(std::vector<uint32_t>(count, 1));
}

// Two endpoints of weight 1, the second created more than `gap` after the first (this waits
// out `gap` on the steady clock: EndpointState stamps its own creation time). With a slow
// start window of at most `gap`, one clock reading then finds the first fully ramped and the
// second anywhere on its ramp.
inline std::vector<Endpoint> make_old_and_new_endpoints(std::chrono::nanoseconds gap) {
  const auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  std::vector<Endpoint> endpoints = make_endpoints(1);
  const int64_t ready_at = endpoints[0].state->created_ns + gap.count();
  while (now_ns() <= ready_at) {
  }
  endpoints.push_back(make_endpoints(2)[1]);
  return endpoints;
}

// `picks` picks as letters, endpoint 0 = 'a', with the same request each time ('-' for none).
inline std::string pick_letters(LoadBalancer& balancer, std::span<const Endpoint> endpoints,
                                std::size_t picks, const PickRequest& request = {}) {
  std::string letters;
  for (std::size_t i = 0; i < picks; ++i) {
    const std::optional<std::size_t> picked = balancer.pick(endpoints, request);
    letters += picked ? static_cast<char>('a' + *picked) : '-';
  }
  return letters;
}

// How often each endpoint was picked in `picks` picks.
inline std::vector<int> pick_counts(LoadBalancer& balancer, std::span<const Endpoint> endpoints,
                                    std::size_t picks, const PickRequest& request = {}) {
  std::vector<int> counts(endpoints.size(), 0);
  for (std::size_t i = 0; i < picks; ++i) {
    if (const std::optional<std::size_t> picked = balancer.pick(endpoints, request)) {
      ++counts[*picked];
    }
  }
  return counts;
}

}  // namespace portico::proxy::balancer_test
