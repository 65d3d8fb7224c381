#include "proxy/balancer/weighted_round_robin.h"

#include <algorithm>
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::pick_counts;
using balancer_test::pick_letters;

// nginx's ngx_http_upstream_get_peer() worked by hand from zero credits: the sequences its
// smooth weighted round robin produces (ties go to the first server).
constexpr std::string_view kNginx532 = "abcaabacba";
constexpr std::string_view kNginx511 = "aabacaa";

std::string rotated(std::string_view cycle, std::size_t by) {
  std::string out(cycle.substr(by % cycle.size()));
  out += cycle.substr(0, by % cycle.size());
  return out;
}

std::string repeated(std::string_view cycle, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += cycle;
  return out;
}

std::string sequence(const std::vector<Endpoint>& endpoints, uint64_t seed, std::size_t picks) {
  WeightedRoundRobinBalancer balancer(std::chrono::nanoseconds{0}, seed);
  return pick_letters(balancer, endpoints, picks);
}

TEST(WeightedRoundRobinBalancerTest, FiveThreeTwoIsNginxsInterleaving) {
  const std::vector<Endpoint> endpoints = make_endpoints({5, 3, 2});
  EXPECT_EQ(sequence(endpoints, 0, 30), repeated(kNginx532, 3));
}

TEST(WeightedRoundRobinBalancerTest, FiveOneOneIsNginxsInterleaving) {
  const std::vector<Endpoint> endpoints = make_endpoints({5, 1, 1});
  EXPECT_EQ(sequence(endpoints, 0, 21), repeated(kNginx511, 3));
}

TEST(WeightedRoundRobinBalancerTest, EveryCycleOfTenHoldsExactlyFiveThreeTwoWithoutBursts) {
  const std::vector<Endpoint> endpoints = make_endpoints({5, 3, 2});
  const std::string picks = sequence(endpoints, 0x5eed, 200);
  for (std::size_t start = 0; start + 10 <= picks.size(); ++start) {
    const std::string_view window = std::string_view(picks).substr(start, 10);
    EXPECT_EQ(std::count(window.begin(), window.end(), 'a'), 5) << window;
    EXPECT_EQ(std::count(window.begin(), window.end(), 'b'), 3) << window;
    EXPECT_EQ(std::count(window.begin(), window.end(), 'c'), 2) << window;
  }
  // Interleaved: never three picks of the same endpoint in a row (a burst would give five).
  for (const char letter : {'a', 'b', 'c'}) {
    EXPECT_EQ(picks.find(std::string(3, letter)), std::string::npos) << letter;
  }
}

TEST(WeightedRoundRobinBalancerTest, TheSeedShiftsThePhaseAlongTheCycle) {
  const std::vector<Endpoint> endpoints = make_endpoints({5, 3, 2});
  for (uint64_t seed = 0; seed < 25; ++seed) {
    EXPECT_EQ(sequence(endpoints, seed, 10), rotated(kNginx532, seed % 10)) << seed;
  }
  // Ten workers seeded 0..9 start at ten different points of the cycle, so their first
  // picks follow the weights instead of all landing on the heaviest endpoint.
  std::vector<int> first_picks(3, 0);
  for (uint64_t seed = 0; seed < 10; ++seed) ++first_picks[sequence(endpoints, seed, 1)[0] - 'a'];
  EXPECT_EQ(first_picks, (std::vector<int>{5, 3, 2}));
}

TEST(WeightedRoundRobinBalancerTest, EqualWeightsAreRoundRobin) {
  const std::vector<Endpoint> endpoints = make_endpoints({4, 4, 4});
  EXPECT_EQ(sequence(endpoints, 0, 9), "abcabcabc");
}

TEST(WeightedRoundRobinBalancerTest, ZeroWeightCountsAsOne) {
  const std::vector<Endpoint> endpoints = make_endpoints({0, 1, 2});
  WeightedRoundRobinBalancer balancer(std::chrono::nanoseconds{0}, 0);
  EXPECT_EQ(pick_counts(balancer, endpoints, 400), (std::vector<int>{100, 100, 200}));
}

TEST(WeightedRoundRobinBalancerTest, HugeWeightsAreClampedAndStayExact) {
  const std::vector<Endpoint> endpoints = make_endpoints({4'000'000'000u, 1'000'000, 1});
  WeightedRoundRobinBalancer balancer(std::chrono::nanoseconds{0}, ~uint64_t{0});
  const std::vector<int> counts = pick_counts(balancer, endpoints, 2'000'001);
  // 4e9 is clamped to kMaxWeight (1e6): the first two share evenly, the third gets 1.
  EXPECT_EQ(counts, (std::vector<int>{1'000'000, 1'000'000, 1}));
}

TEST(WeightedRoundRobinBalancerTest, NoEndpointsNoPick) {
  WeightedRoundRobinBalancer balancer(std::chrono::nanoseconds{0}, 3);
  EXPECT_EQ(balancer.pick({}, {}), std::nullopt);
}

}  // namespace
}  // namespace portico::proxy
