#include "proxy/balancer/round_robin.h"

#include <gtest/gtest.h>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::pick_counts;
using balancer_test::pick_letters;

TEST(RoundRobinBalancerTest, CyclesEveryEndpointFromTheSeededStart) {
  const std::vector<Endpoint> endpoints = make_endpoints(4);
  const auto sequence = [&](uint64_t seed) {
    RoundRobinBalancer balancer(seed);
    return pick_letters(balancer, endpoints, 9);
  };
  EXPECT_EQ(sequence(0), "abcdabcda");
  EXPECT_EQ(sequence(2), "cdabcdabc");
  EXPECT_EQ(sequence(4 * 1000003 + 3), "dabcdabcd");
}

TEST(RoundRobinBalancerTest, WorkersWithDifferentSeedsStartApart) {
  const std::vector<Endpoint> endpoints = make_endpoints(3);
  std::vector<int> first_picks(3, 0);
  for (uint64_t seed = 0; seed < 3; ++seed) {
    RoundRobinBalancer balancer(seed);
    ++first_picks[*balancer.pick(endpoints, {})];
  }
  EXPECT_EQ(first_picks, (std::vector<int>{1, 1, 1}));
}

TEST(RoundRobinBalancerTest, SpreadsEvenly) {
  const std::vector<Endpoint> endpoints = make_endpoints(5);
  RoundRobinBalancer balancer(0x1234'5678'9abc'def0ULL);
  EXPECT_EQ(pick_counts(balancer, endpoints, 5000), (std::vector<int>(5, 1000)));
}

TEST(RoundRobinBalancerTest, NoEndpointsNoPick) {
  RoundRobinBalancer balancer(7);
  EXPECT_EQ(balancer.pick({}, {}), std::nullopt);
  // And it still works once there are endpoints.
  const std::vector<Endpoint> endpoints = make_endpoints(2);
  EXPECT_EQ(pick_letters(balancer, endpoints, 4), "baba");
}

}  // namespace
}  // namespace portico::proxy
