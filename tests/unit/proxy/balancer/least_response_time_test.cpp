#include "proxy/balancer/least_response_time.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "proxy/balancer/peak_ewma.h"

namespace portico::proxy {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kNow = 1000LL * 1'000'000'000;

std::vector<Endpoint> make_endpoints(int count) {
  std::vector<Endpoint> endpoints;
  for (int i = 0; i < count; ++i) {
    const boost::asio::ip::tcp::endpoint address(
        boost::asio::ip::address_v4(0x0A000200u + static_cast<uint32_t>(i)), 80);
    endpoints.push_back({address, 1, std::make_shared<EndpointState>(endpoint_identity(address))});
  }
  return endpoints;
}

// Picks per endpoint over `rounds` picks with a fixed seed, leaving in-flight counts as they
// are.
std::vector<int> count_picks(LeastResponseTimeBalancer& balancer,
                             const std::vector<Endpoint>& endpoints, int rounds, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<int> picks(endpoints.size(), 0);
  for (int i = 0; i < rounds; ++i) {
    const std::optional<std::size_t> picked =
        balancer.pick(endpoints, {.random = random(), .now_ns = kNow});
    EXPECT_TRUE(picked.has_value());
    if (picked) ++picks[*picked];
  }
  return picks;
}

TEST(LeastResponseTimeBalancerTest, NoEndpointsNoPickAndOneEndpointAlways) {
  LeastResponseTimeBalancer balancer;
  EXPECT_EQ(balancer.pick({}, {.random = 5, .now_ns = kNow}), std::nullopt);
  const std::vector<Endpoint> one = make_endpoints(1);
  record_latency(*one[0].state, 900 * kMs, kNow);
  EXPECT_EQ(balancer.pick(one, {.random = 5, .now_ns = kNow}), 0u);
}

// Two distinct candidates per pick: the slow endpoint always meets a faster one and loses.
TEST(LeastResponseTimeBalancerTest, ASlowEndpointGetsNoPicks) {
  const std::vector<Endpoint> endpoints = make_endpoints(5);
  for (const Endpoint& endpoint : endpoints) record_latency(*endpoint.state, 5 * kMs, kNow);
  record_latency(*endpoints[2].state, 200 * kMs, kNow);
  LeastResponseTimeBalancer balancer;
  const std::vector<int> picks = count_picks(balancer, endpoints, 20000, 1);
  EXPECT_EQ(picks[2], 0);
  for (int i : {0, 1, 3, 4}) EXPECT_NEAR(picks[i], 5000, 400) << i;
}

TEST(LeastResponseTimeBalancerTest, EqualAveragesSpreadByInFlight) {
  const std::vector<Endpoint> endpoints = make_endpoints(4);
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    record_latency(*endpoints[i].state, 5 * kMs, kNow);
    endpoints[i].state->active_requests.store(static_cast<int64_t>(i));
  }
  LeastResponseTimeBalancer balancer;
  // Of the six pairs, the endpoint with i requests in flight wins the 3 - i pairs that
  // hold it and a busier one.
  const std::vector<int> picks = count_picks(balancer, endpoints, 60000, 2);
  EXPECT_NEAR(picks[0], 30000, 900);
  EXPECT_NEAR(picks[1], 20000, 900);
  EXPECT_NEAR(picks[2], 10000, 900);
  EXPECT_EQ(picks[3], 0);
}

TEST(LeastResponseTimeBalancerTest, RequestsInFlightEvenOutUnderLoad) {
  const std::vector<Endpoint> endpoints = make_endpoints(4);
  for (const Endpoint& endpoint : endpoints) record_latency(*endpoint.state, 5 * kMs, kNow);
  LeastResponseTimeBalancer balancer;
  std::mt19937_64 random(3);
  for (int i = 0; i < 400; ++i) {
    const std::optional<std::size_t> picked =
        balancer.pick(endpoints, {.random = random(), .now_ns = kNow});
    ASSERT_TRUE(picked.has_value());
    endpoints[*picked].state->active_requests.fetch_add(1);
  }
  for (const Endpoint& endpoint : endpoints) {
    EXPECT_NEAR(endpoint.state->active_requests.load(), 100, 3);
  }
}

TEST(LeastResponseTimeBalancerTest, TwoEndpointsGiveTheExactMinimumAndSplitTies) {
  const std::vector<Endpoint> endpoints = make_endpoints(2);
  record_latency(*endpoints[0].state, 9 * kMs, kNow);
  record_latency(*endpoints[1].state, 3 * kMs, kNow);
  LeastResponseTimeBalancer balancer;
  EXPECT_EQ(count_picks(balancer, endpoints, 1000, 4)[1], 1000);

  record_latency(*endpoints[1].state, 9 * kMs, kNow);  // a peak: both now 9 ms
  const std::vector<int> tied = count_picks(balancer, endpoints, 10000, 5);
  EXPECT_NEAR(tied[0], 5000, 300);
  EXPECT_NEAR(tied[1], 5000, 300);
}

TEST(LeastResponseTimeBalancerTest, ANewEndpointIsProbedThenWaitedFor) {
  std::vector<Endpoint> endpoints = make_endpoints(4);
  for (int i = 0; i < 3; ++i) record_latency(*endpoints[i].state, 5 * kMs, kNow);
  LeastResponseTimeBalancer balancer;
  // Idle and unmeasured: it wins every pair it is drawn into (half of the six).
  EXPECT_NEAR(count_picks(balancer, endpoints, 6000, 6)[3], 3000, 200);

  endpoints[3].state->active_requests.store(1);
  EXPECT_EQ(count_picks(balancer, endpoints, 6000, 7)[3], 0);

  record_latency(*endpoints[3].state, 1 * kMs, kNow);
  EXPECT_NEAR(count_picks(balancer, endpoints, 6000, 8)[3], 3000, 200);
}

TEST(LeastResponseTimeBalancerTest, AnEndpointSlowLongAgoIsTriedAgain) {
  const std::vector<Endpoint> endpoints = make_endpoints(3);
  record_latency(*endpoints[0].state, 5 * kMs, kNow);
  record_latency(*endpoints[1].state, 5 * kMs, kNow);
  // 200 ms a minute ago has decayed to 200 ms * e^-6, about 0.5 ms.
  record_latency(*endpoints[2].state, 200 * kMs, kNow - 60LL * 1'000'000'000);
  LeastResponseTimeBalancer balancer;
  EXPECT_NEAR(count_picks(balancer, endpoints, 3000, 9)[2], 2000, 150);
}

}  // namespace
}  // namespace portico::proxy
