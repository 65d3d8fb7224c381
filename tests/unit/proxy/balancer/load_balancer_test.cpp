#include "proxy/balancer/load_balancer.h"

#include <chrono>

#include <gtest/gtest.h>

#include "proxy/balancer/consistent_hash.h"
#include "proxy/balancer/least_connections.h"
#include "proxy/balancer/least_response_time.h"
#include "proxy/balancer/power_of_two_choices.h"
#include "proxy/balancer/random_choice.h"
#include "proxy/balancer/resource_based.h"
#include "proxy/balancer/round_robin.h"
#include "proxy/balancer/weighted_round_robin.h"
#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::pick_letters;

Backend backend_with(Algorithm algorithm, const std::vector<uint32_t>& weights = {1, 1, 1}) {
  Backend backend;
  backend.name = "default/web:80";
  backend.endpoints = make_endpoints(weights);
  backend.policy.algorithm = algorithm;
  return backend;
}

template <typename Balancer>
bool makes(Algorithm algorithm) {
  const std::unique_ptr<LoadBalancer> balancer = make_load_balancer(backend_with(algorithm), 1);
  return dynamic_cast<Balancer*>(balancer.get()) != nullptr;
}

TEST(MakeLoadBalancerTest, EveryAlgorithmGetsItsBalancer) {
  EXPECT_TRUE(makes<RoundRobinBalancer>(Algorithm::kRoundRobin));
  EXPECT_TRUE(makes<WeightedRoundRobinBalancer>(Algorithm::kWeightedRoundRobin));
  EXPECT_TRUE(makes<LeastConnectionsBalancer>(Algorithm::kLeastConnections));
  EXPECT_TRUE(makes<LeastConnectionsBalancer>(Algorithm::kWeightedLeastConnections));
  EXPECT_TRUE(makes<ConsistentHashBalancer>(Algorithm::kIpHash));
  EXPECT_TRUE(makes<ConsistentHashBalancer>(Algorithm::kConsistentHash));
  EXPECT_TRUE(makes<LeastResponseTimeBalancer>(Algorithm::kLeastResponseTime));
  EXPECT_TRUE(makes<RandomBalancer>(Algorithm::kRandom));
  EXPECT_TRUE(makes<PowerOfTwoChoicesBalancer>(Algorithm::kPowerOfTwoChoices));
  EXPECT_TRUE(makes<ResourceBasedBalancer>(Algorithm::kResourceBased));
}

TEST(MakeLoadBalancerTest, TheWorkerSeedPlacesTheStart) {
  const Backend backend = backend_with(Algorithm::kRoundRobin);
  EXPECT_EQ(pick_letters(*make_load_balancer(backend, 0), backend.endpoints, 4), "abca");
  EXPECT_EQ(pick_letters(*make_load_balancer(backend, 5), backend.endpoints, 4), "cabc");
}

TEST(MakeLoadBalancerTest, OnlyTheWeightedLeastConnectionsCountsWeights) {
  Backend plain = backend_with(Algorithm::kLeastConnections, {1, 4});
  plain.endpoints[0].state->active_requests = 1;
  plain.endpoints[1].state->active_requests = 3;
  Backend weighted = plain;
  weighted.policy.algorithm = Algorithm::kWeightedLeastConnections;
  EXPECT_EQ(make_load_balancer(plain, 0)->pick(plain.endpoints, {}), 0u);
  EXPECT_EQ(make_load_balancer(weighted, 0)->pick(weighted.endpoints, {}), 1u);
}

TEST(MakeLoadBalancerTest, ThePolicysSlowStartWindowReachesTheBalancer) {
  constexpr std::chrono::milliseconds kWindow{1};
  Backend backend = backend_with(Algorithm::kLeastConnections);
  backend.endpoints = balancer_test::make_old_and_new_endpoints(kWindow);
  backend.endpoints[0].state->active_requests = 4;
  const PickRequest new_one_just_created{0, 0, backend.endpoints[1].state->created_ns};
  // Without slow start the idle newcomer wins; ramping, it weighs 10 % and loses.
  EXPECT_EQ(make_load_balancer(backend, 0)->pick(backend.endpoints, new_one_just_created), 1u);
  backend.policy.slow_start = kWindow;
  EXPECT_EQ(make_load_balancer(backend, 0)->pick(backend.endpoints, new_one_just_created), 0u);

  backend.policy.algorithm = Algorithm::kWeightedRoundRobin;
  const std::unique_ptr<LoadBalancer> ramped = make_load_balancer(backend, 0);
  EXPECT_EQ(balancer_test::pick_counts(*ramped, backend.endpoints, 110, new_one_just_created),
            (std::vector<int>{100, 10}));
}

}  // namespace
}  // namespace portico::proxy
