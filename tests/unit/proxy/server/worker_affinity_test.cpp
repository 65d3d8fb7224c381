// Worker::pinned_endpoint through each backend's cookie index (built with the snapshot): a
// request that began before a swap looks its cookie up in its own backend's endpoints.
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "proxy/balancer/session_affinity.h"
#include "proxy/server/proxy_options.h"
#include "proxy/server/worker.h"
#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;

Backend backend_over(std::vector<Endpoint> endpoints) {
  Backend backend;
  backend.index = 0;
  backend.name = "demo/web:80";
  backend.endpoints = std::move(endpoints);
  backend.policy.affinity.enabled = true;
  backend.cookie_index = std::make_shared<const SessionCookieIndex>(backend.endpoints);
  return backend;
}

uint64_t key_of(const Endpoint& endpoint) {
  return session_cookie_key(endpoint.state->identity);
}

class WorkerAffinityTest : public ::testing::Test {
 protected:
  ProxyOptions options_;
  Worker worker_{0, options_};
};

TEST_F(WorkerAffinityTest, ACookiePinsItsEndpointWhereRoundRobinWouldMove) {
  const Backend backend = backend_over(make_endpoints(3));
  const uint64_t key = key_of(backend.endpoints[1]);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(worker_.pinned_endpoint(backend, key), 1u);
  // Without the cookie the same worker spreads the requests.
  std::vector<int> picked(3, 0);
  for (int i = 0; i < 9; ++i) ++picked[worker_.pick_endpoint(backend, 0).value()];
  EXPECT_EQ(picked, (std::vector<int>{3, 3, 3}));
}

TEST_F(WorkerAffinityTest, AnotherBackendInTheSameSlotIsLookedUpInItsOwnEndpoints) {
  const std::vector<Endpoint> endpoints = make_endpoints(4);
  const Backend before = backend_over(endpoints);
  // The next snapshot's backend at the same index: endpoint 0 left, the others moved up.
  const Backend after = backend_over({endpoints[1], endpoints[2], endpoints[3]});
  EXPECT_EQ(worker_.pinned_endpoint(before, key_of(endpoints[2])), 2u);
  EXPECT_EQ(worker_.pinned_endpoint(after, key_of(endpoints[2])), 1u);
  EXPECT_EQ(worker_.pinned_endpoint(after, key_of(endpoints[0])), std::nullopt);
  // A request that began before the swap still finds its endpoint in its own backend.
  EXPECT_EQ(worker_.pinned_endpoint(before, key_of(endpoints[0])), 0u);
}

TEST_F(WorkerAffinityTest, ABackendWithoutAnIndexPinsNothing) {
  Backend backend = backend_over(make_endpoints(3));
  backend.cookie_index = nullptr;
  EXPECT_EQ(worker_.pinned_endpoint(backend, key_of(backend.endpoints[1])), std::nullopt);
}

TEST_F(WorkerAffinityTest, AnUnhealthyPinnedEndpointIsNotPinned) {
  const Backend backend = backend_over(make_endpoints(3));
  const uint64_t key = key_of(backend.endpoints[2]);
  backend.endpoints[2].state->check_passing = false;
  EXPECT_EQ(worker_.pinned_endpoint(backend, key), std::nullopt);
  backend.endpoints[2].state->check_passing = true;
  EXPECT_EQ(worker_.pinned_endpoint(backend, key), 2u);
}

}  // namespace
}  // namespace portico::proxy
