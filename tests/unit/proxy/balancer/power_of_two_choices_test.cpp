#include "proxy/balancer/power_of_two_choices.h"

#include <gtest/gtest.h>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::SplitMix64;

constexpr int kPicks = 100'000;

std::vector<int> counts_over(const std::vector<Endpoint>& endpoints, uint64_t seed) {
  PowerOfTwoChoicesBalancer balancer;
  SplitMix64 random(seed);
  std::vector<int> counts(endpoints.size(), 0);
  for (int i = 0; i < kPicks; ++i) ++counts[*balancer.pick(endpoints, {0, random.next(), 0})];
  return counts;
}

TEST(PowerOfTwoChoicesBalancerTest, PicksTheLessBusyOfTwoDistinctUniformCandidates) {
  // Five endpoints with distinct loads. With two distinct candidates drawn uniformly, the
  // endpoint that is r-th least busy wins exactly when the other candidate is busier:
  // (4 - r) of the 10 pairs. The busiest never wins; a candidate drawn twice would let it.
  const std::vector<Endpoint> endpoints = make_endpoints(5);
  const std::vector<int64_t> active = {30, 0, 40, 10, 20};  // ranks 3, 0, 4, 1, 2
  for (std::size_t i = 0; i < endpoints.size(); ++i)
    endpoints[i].state->active_requests = active[i];

  const std::vector<int> counts = counts_over(endpoints, 2024);
  EXPECT_EQ(counts[2], 0);  // the busiest
  // Expected 40 %, 30 %, 20 %, 10 %; the largest standard deviation is about 155 picks.
  EXPECT_NEAR(counts[1], 40'000, 900);
  EXPECT_NEAR(counts[3], 30'000, 900);
  EXPECT_NEAR(counts[4], 20'000, 900);
  EXPECT_NEAR(counts[0], 10'000, 900);
}

TEST(PowerOfTwoChoicesBalancerTest, TwoEndpointsAlwaysCompareBoth) {
  const std::vector<Endpoint> endpoints = make_endpoints(2);
  endpoints[0].state->active_requests = 1;
  EXPECT_EQ(counts_over(endpoints, 9), (std::vector<int>{0, kPicks}));
}

TEST(PowerOfTwoChoicesBalancerTest, EqualLoadsSpreadUniformly) {
  const std::vector<Endpoint> endpoints = make_endpoints(4);
  const std::vector<int> counts = counts_over(endpoints, 77);
  for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_NEAR(counts[i], 25'000, 850) << i;
}

TEST(PowerOfTwoChoicesBalancerTest, ThePickFollowsTheRandomWordAlone) {
  const std::vector<Endpoint> endpoints = make_endpoints(6);
  PowerOfTwoChoicesBalancer balancer;
  SplitMix64 random(5);
  for (int i = 0; i < 200; ++i) {
    const uint64_t word = random.next();
    EXPECT_EQ(balancer.pick(endpoints, {0, word, 0}), balancer.pick(endpoints, {0, word, 0}));
  }
}

TEST(PowerOfTwoChoicesBalancerTest, SingleAndNoEndpoint) {
  PowerOfTwoChoicesBalancer balancer;
  EXPECT_EQ(balancer.pick({}, {0, 99, 0}), std::nullopt);
  const std::vector<Endpoint> one = make_endpoints(1);
  EXPECT_EQ(balancer.pick(one, {0, 99, 0}), 0u);
}

}  // namespace
}  // namespace portico::proxy
