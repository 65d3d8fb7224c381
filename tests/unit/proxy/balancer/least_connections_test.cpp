#include "proxy/balancer/least_connections.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::pick_letters;
using std::chrono::nanoseconds;

void set_active(const std::vector<Endpoint>& endpoints, const std::vector<int64_t>& active) {
  for (std::size_t i = 0; i < endpoints.size(); ++i)
    endpoints[i].state->active_requests = active[i];
}

TEST(LeastConnectionsBalancerTest, PicksTheEndpointWithFewestRequestsInFlight) {
  const std::vector<Endpoint> endpoints = make_endpoints(4);
  for (uint64_t seed = 0; seed < 4; ++seed) {  // wherever the scan starts
    LeastConnectionsBalancer balancer(false, nanoseconds{0}, seed);
    set_active(endpoints, {3, 1, 2, 5});
    EXPECT_EQ(balancer.pick(endpoints, {}), 1u);
    set_active(endpoints, {3, 4, 2, 5});
    EXPECT_EQ(balancer.pick(endpoints, {}), 2u);
    set_active(endpoints, {3, 4, 2, 0});
    EXPECT_EQ(balancer.pick(endpoints, {}), 3u);
  }
}

TEST(LeastConnectionsBalancerTest, PlainVariantIgnoresWeights) {
  const std::vector<Endpoint> endpoints = make_endpoints({1, 4});
  set_active(endpoints, {1, 3});
  LeastConnectionsBalancer balancer(false, nanoseconds{0}, 0);
  EXPECT_EQ(balancer.pick(endpoints, {}), 0u);
  EXPECT_EQ(balancer.pick(endpoints, {}), 0u);
}

TEST(LeastConnectionsBalancerTest, WeightedVariantScoresRequestsInFlightPerWeight) {
  const std::vector<Endpoint> endpoints = make_endpoints({1, 4});
  LeastConnectionsBalancer balancer(true, nanoseconds{0}, 0);
  set_active(endpoints, {1, 3});  // (1 + 1) / 1 > (3 + 1) / 4
  EXPECT_EQ(balancer.pick(endpoints, {}), 1u);
  set_active(endpoints, {1, 8});  // (1 + 1) / 1 < (8 + 1) / 4
  EXPECT_EQ(balancer.pick(endpoints, {}), 0u);
  // Idle endpoints are not all equal: the heavier one takes the first request, wherever
  // the scan starts.
  set_active(endpoints, {0, 0});
  for (uint64_t seed = 0; seed < 2; ++seed) {
    LeastConnectionsBalancer fresh(true, nanoseconds{0}, seed);
    EXPECT_EQ(fresh.pick(endpoints, {}), 1u) << seed;
  }
}

TEST(LeastConnectionsBalancerTest, WeightedVariantKeepsLoadProportionalToWeight) {
  // Requests that never finish: in-flight counts must end up in the ratio of the weights.
  const std::vector<Endpoint> endpoints = make_endpoints({1, 2, 5});
  LeastConnectionsBalancer balancer(true, nanoseconds{0}, 0);
  for (int i = 0; i < 800; ++i) {
    endpoints[*balancer.pick(endpoints, {})].state->active_requests.fetch_add(1);
  }
  EXPECT_EQ(endpoints[0].state->active_requests.load(), 100);
  EXPECT_EQ(endpoints[1].state->active_requests.load(), 200);
  EXPECT_EQ(endpoints[2].state->active_requests.load(), 500);
}

TEST(LeastConnectionsBalancerTest, ComparesExactlyWhereIntegerDivisionWouldTie) {
  // Scores (active + 1) / weight: 5 / 2 = 2.5 against 7 / 3 = 2.33. Truncated, both are 2
  // and the tie would go to whichever endpoint the scan meets first.
  const std::vector<Endpoint> endpoints = make_endpoints({2, 3});
  set_active(endpoints, {4, 6});
  for (uint64_t seed = 0; seed < 2; ++seed) {
    LeastConnectionsBalancer balancer(true, nanoseconds{0}, seed);
    EXPECT_EQ(balancer.pick(endpoints, {}), 1u) << seed;
  }
}

TEST(LeastConnectionsBalancerTest, TiedEndpointsTakeTurns) {
  const std::vector<Endpoint> endpoints = make_endpoints(3);
  set_active(endpoints, {0, 5, 0});
  LeastConnectionsBalancer two_tied(false, nanoseconds{0}, 0);
  EXPECT_EQ(pick_letters(two_tied, endpoints, 6), "acacac");

  set_active(endpoints, {2, 2, 2});
  LeastConnectionsBalancer all_tied(false, nanoseconds{0}, 0);
  EXPECT_EQ(pick_letters(all_tied, endpoints, 6), "abcabc");
}

TEST(LeastConnectionsBalancerTest, TheSeedPicksWhereTiesStart) {
  const std::vector<Endpoint> endpoints = make_endpoints(3);
  LeastConnectionsBalancer balancer(false, nanoseconds{0}, 3 * 77 + 2);
  EXPECT_EQ(pick_letters(balancer, endpoints, 4), "cabc");
}

TEST(LeastConnectionsBalancerTest, NegativeCountsFromARaceCountAsIdle) {
  const std::vector<Endpoint> endpoints = make_endpoints(2);
  set_active(endpoints, {-3, 0});
  LeastConnectionsBalancer balancer(false, nanoseconds{0}, 0);
  EXPECT_EQ(pick_letters(balancer, endpoints, 4), "abab");
}

TEST(LeastConnectionsBalancerTest, NoEndpointsNoPick) {
  LeastConnectionsBalancer balancer(true, nanoseconds{0}, 0);
  EXPECT_EQ(balancer.pick({}, {}), std::nullopt);
}

// Four workers, each with its own balancer, over the same endpoints, as sessions use them:
// a pick is counted in flight until one of the worker's requests, chosen at random,
// finishes. One endpoint is stuck with requests another process left in flight. Atomics
// only, so ThreadSanitizer can check it.
//
// Totals are only loosely even: a worker the scheduler parks holds its requests in flight
// meanwhile, and least-connections rightly steers around them. What it guarantees is the
// in-flight count: an endpoint is picked only while it has the fewest, so none ever holds
// more than its share of everything in flight plus one stale read per other worker.
TEST(LeastConnectionsBalancerTest, WorkersPickingConcurrentlyKeepCountsExactAndLoadEven) {
  constexpr int kWorkers = 4;
  constexpr int kPicksPerWorker = 25'000;
  constexpr int64_t kInFlightPerWorker = 16;
  constexpr int64_t kStuck = 1000;
  constexpr std::size_t kLive = 4;
  const std::vector<Endpoint> endpoints = make_endpoints(kLive + 1);
  EndpointState& stuck = *endpoints[kLive].state;
  stuck.active_requests = kStuck;

  std::vector<std::thread> workers;
  std::vector<int64_t> peak_in_flight(kWorkers, 0);
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&endpoints, &peak = peak_in_flight[w], w] {
      LeastConnectionsBalancer balancer(false, nanoseconds{0}, static_cast<uint64_t>(w));
      balancer_test::SplitMix64 random(static_cast<uint64_t>(w));
      std::vector<EndpointState*> in_flight;
      for (int i = 0; i < kPicksPerWorker; ++i) {
        EndpointState& state = *endpoints[*balancer.pick(endpoints, {})].state;
        peak = std::max(peak, state.active_requests.fetch_add(1, std::memory_order_relaxed) + 1);
        state.total_requests.fetch_add(1, std::memory_order_relaxed);
        in_flight.push_back(&state);
        if (std::ssize(in_flight) == kInFlightPerWorker) {
          const std::size_t done = random.next() % in_flight.size();
          in_flight[done]->active_requests.fetch_sub(1, std::memory_order_relaxed);
          in_flight[done] = in_flight.back();
          in_flight.pop_back();
        }
      }
      for (EndpointState* state : in_flight) {
        state->active_requests.fetch_sub(1, std::memory_order_relaxed);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();

  EXPECT_EQ(stuck.active_requests.load(), kStuck);
  EXPECT_EQ(stuck.total_requests.load(), 0u);
  uint64_t total = 0;
  for (std::size_t i = 0; i < kLive; ++i) {
    EXPECT_EQ(endpoints[i].state->active_requests.load(), 0) << i;
    total += endpoints[i].state->total_requests.load();
  }
  EXPECT_EQ(total, uint64_t{kWorkers} * kPicksPerWorker);

  const int64_t most_in_flight = kWorkers * kInFlightPerWorker;
  const int64_t bound = (most_in_flight - 1) / static_cast<int64_t>(kLive) + 1 + (kWorkers - 1);
  EXPECT_LE(*std::max_element(peak_in_flight.begin(), peak_in_flight.end()), bound);
  const uint64_t fair_share = total / kLive;
  for (std::size_t i = 0; i < kLive; ++i) {
    EXPECT_GE(endpoints[i].state->total_requests.load(), fair_share / 2) << i;
    EXPECT_LE(endpoints[i].state->total_requests.load(), fair_share * 3 / 2) << i;
  }
}

}  // namespace
}  // namespace portico::proxy
