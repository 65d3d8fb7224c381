#include "proxy/balancer/random_choice.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::SplitMix64;

TEST(RandomBalancerTest, SpreadsUniformlyOverHundredThousandPicks) {
  constexpr int kPicks = 100'000;
  const std::vector<Endpoint> endpoints = make_endpoints(5);
  RandomBalancer balancer;
  SplitMix64 random(42);
  std::vector<int> counts(endpoints.size(), 0);
  for (int i = 0; i < kPicks; ++i) {
    ++counts[*balancer.pick(endpoints, {0, random.next(), 0})];
  }
  // 20000 expected each; the standard deviation is about 126, so 750 is six of them.
  for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_NEAR(counts[i], 20'000, 750) << i;
}

TEST(RandomBalancerTest, ThePickFollowsTheRandomWordAlone) {
  const std::vector<Endpoint> endpoints = make_endpoints(7);
  RandomBalancer balancer;
  SplitMix64 random(7);
  std::vector<bool> seen(endpoints.size(), false);
  for (int i = 0; i < 200; ++i) {
    const uint64_t word = random.next();
    const std::optional<std::size_t> picked = balancer.pick(endpoints, {0, word, 0});
    ASSERT_TRUE(picked.has_value());
    EXPECT_EQ(balancer.pick(endpoints, {0, word, 0}), picked);  // no hidden state
    seen[*picked] = true;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 7);
}

TEST(RandomBalancerTest, NoEndpointsNoPick) {
  RandomBalancer balancer;
  EXPECT_EQ(balancer.pick({}, {0, 12345, 0}), std::nullopt);
}

}  // namespace
}  // namespace portico::proxy
