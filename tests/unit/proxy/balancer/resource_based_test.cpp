#include "proxy/balancer/resource_based.h"

#include <chrono>
#include <string_view>

#include <gtest/gtest.h>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::pick_counts;
using balancer_test::pick_letters;
using std::chrono::nanoseconds;

void set_resource(const std::vector<Endpoint>& endpoints, const std::vector<int32_t>& weights) {
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    endpoints[i].state->resource_weight = weights[i];
  }
}

// nginx's smooth weighted round robin over 3 : 1 : 6, worked by hand from zero credits.
constexpr std::string_view kNginx316 = "cacbcaccac";

TEST(ResourceBasedBalancerTest, FollowsTheEarnedWeightsSmoothly) {
  const std::vector<Endpoint> endpoints = make_endpoints({1, 1, 1});
  set_resource(endpoints, {3, 1, 6});
  ResourceBasedBalancer balancer(nanoseconds{0}, 0);
  EXPECT_EQ(pick_letters(balancer, endpoints, 10), kNginx316);
  EXPECT_EQ(pick_counts(balancer, endpoints, 1000), (std::vector<int>{300, 100, 600}));
}

TEST(ResourceBasedBalancerTest, AnEndpointAboveTheCeilingGetsNothing) {
  const std::vector<Endpoint> endpoints = make_endpoints({5, 1, 1});
  set_resource(endpoints, {0, 2, 1});
  ResourceBasedBalancer balancer(nanoseconds{0}, 0);
  EXPECT_EQ(pick_counts(balancer, endpoints, 300), (std::vector<int>{0, 200, 100}));
  // Crossing the ceiling takes effect on the next pick. The credits carried over from the
  // old weights may shift the new cycle by a pick or two.
  // With the static weights multiplied in: 4 x 5 : 0 : 1 x 1.
  set_resource(endpoints, {4, 0, 1});
  const std::vector<int> counts = pick_counts(balancer, endpoints, 420);
  EXPECT_NEAR(counts[0], 400, 2);
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2], 20, 2);
}

TEST(ResourceBasedBalancerTest, TheStaticWeightMultipliesWhatSpareCpuEarns) {
  const std::vector<Endpoint> endpoints = make_endpoints({3, 1});
  set_resource(endpoints, {10, 10});
  ResourceBasedBalancer balancer(nanoseconds{0}, 0);
  EXPECT_EQ(pick_counts(balancer, endpoints, 400), (std::vector<int>{300, 100}));
}

TEST(ResourceBasedBalancerTest, EndpointsWithoutMetricsCountAsHalfLoaded) {
  const std::vector<Endpoint> endpoints = make_endpoints({1, 1});
  set_resource(endpoints, {-1, kIdleResourceWeight});  // the first has no metrics yet
  ResourceBasedBalancer balancer(nanoseconds{0}, 0);
  EXPECT_EQ(pick_counts(balancer, endpoints, 300), (std::vector<int>{100, 200}));
}

TEST(ResourceBasedBalancerTest, EveryEndpointAboveTheCeilingFallsBackToStaticWeights) {
  const std::vector<Endpoint> endpoints = make_endpoints({2, 1, 1});
  set_resource(endpoints, {0, 0, 0});
  ResourceBasedBalancer balancer(nanoseconds{0}, 0);
  EXPECT_EQ(pick_counts(balancer, endpoints, 400), (std::vector<int>{200, 100, 100}));
  // As soon as one endpoint has room again, it takes everything.
  set_resource(endpoints, {0, 0, 1});
  EXPECT_EQ(pick_counts(balancer, endpoints, 50), (std::vector<int>{0, 0, 50}));
}

TEST(ResourceBasedBalancerTest, TheSeedShiftsThePhase) {
  const std::vector<Endpoint> endpoints = make_endpoints({1, 1, 1});
  set_resource(endpoints, {3, 1, 6});
  ResourceBasedBalancer balancer(nanoseconds{0}, 3);
  // Three picks into the cycle.
  EXPECT_EQ(pick_letters(balancer, endpoints, 10), "bcaccaccac");
}

TEST(ResourceBasedBalancerTest, NoEndpointsNoPick) {
  ResourceBasedBalancer balancer(nanoseconds{0}, 0);
  EXPECT_EQ(balancer.pick({}, {}), std::nullopt);
}

}  // namespace
}  // namespace portico::proxy
