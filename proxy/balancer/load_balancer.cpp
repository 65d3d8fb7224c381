#include "proxy/balancer/load_balancer.h"

#include "proxy/balancer/consistent_hash.h"
#include "proxy/balancer/least_connections.h"
#include "proxy/balancer/least_response_time.h"
#include "proxy/balancer/power_of_two_choices.h"
#include "proxy/balancer/random_choice.h"
#include "proxy/balancer/resource_based.h"
#include "proxy/balancer/round_robin.h"
#include "proxy/balancer/weighted_round_robin.h"

namespace portico::proxy {

std::unique_ptr<LoadBalancer> make_load_balancer(const Backend& backend, uint64_t worker_seed) {
  const BalancingPolicy& policy = backend.policy;
  const std::chrono::nanoseconds slow_start = policy.slow_start;
  switch (policy.algorithm) {
    case Algorithm::kRoundRobin:
      return std::make_unique<RoundRobinBalancer>(worker_seed);
    case Algorithm::kWeightedRoundRobin:
      return std::make_unique<WeightedRoundRobinBalancer>(slow_start, worker_seed);
    case Algorithm::kLeastConnections:
      return std::make_unique<LeastConnectionsBalancer>(false, slow_start, worker_seed);
    case Algorithm::kWeightedLeastConnections:
      return std::make_unique<LeastConnectionsBalancer>(true, slow_start, worker_seed);
    case Algorithm::kIpHash:
    case Algorithm::kConsistentHash:
      return std::make_unique<ConsistentHashBalancer>(backend);
    case Algorithm::kLeastResponseTime:
      return std::make_unique<LeastResponseTimeBalancer>();
    case Algorithm::kRandom:
      return std::make_unique<RandomBalancer>();
    case Algorithm::kPowerOfTwoChoices:
      return std::make_unique<PowerOfTwoChoicesBalancer>();
    case Algorithm::kResourceBased:
      return std::make_unique<ResourceBasedBalancer>(slow_start, worker_seed);
  }
  // Unreachable with a valid enum value; round robin is the documented default.
  return std::make_unique<RoundRobinBalancer>(worker_seed);
}

}  // namespace portico::proxy
