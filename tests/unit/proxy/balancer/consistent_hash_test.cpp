#include "proxy/balancer/consistent_hash.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "proxy/balancer/hash_key.h"

namespace portico::proxy {
namespace {

using boost::asio::ip::make_address;

Backend make_backend(int count, bool with_table) {
  Backend backend;
  backend.policy.algorithm = Algorithm::kConsistentHash;
  for (int i = 0; i < count; ++i) {
    const boost::asio::ip::tcp::endpoint address(
        boost::asio::ip::address_v4(0x0A000100u + static_cast<uint32_t>(i)), 80);
    backend.endpoints.push_back(
        {address, 1, std::make_shared<EndpointState>(endpoint_identity(address))});
  }
  if (with_table) backend.hash_table = MaglevTable::build(backend.endpoints);
  return backend;
}

TEST(ConsistentHashBalancerTest, PicksTheTablesEndpointForTheHash) {
  const Backend backend = make_backend(7, true);
  ConsistentHashBalancer balancer(backend);
  std::mt19937_64 random(11);
  std::vector<int> picks(backend.endpoints.size(), 0);
  for (int i = 0; i < 7000; ++i) {
    const PickRequest request{.hash = random()};
    const std::optional<std::size_t> picked = balancer.pick(backend.endpoints, request);
    ASSERT_TRUE(picked.has_value());
    EXPECT_EQ(*picked, backend.hash_table->lookup(request.hash));
    EXPECT_EQ(balancer.pick(backend.endpoints, request), picked) << "same key, same endpoint";
    ++picks[*picked];
  }
  for (int count : picks) EXPECT_NEAR(count, 1000, 150);
}

TEST(ConsistentHashBalancerTest, IgnoresTheRandomWordAndTheClock) {
  const Backend backend = make_backend(5, true);
  ConsistentHashBalancer balancer(backend);
  const std::optional<std::size_t> first =
      balancer.pick(backend.endpoints, {.hash = 42, .random = 1, .now_ns = 1});
  for (uint64_t word : {2ULL, 99ULL, ~0ULL}) {
    EXPECT_EQ(balancer.pick(backend.endpoints,
                            {.hash = 42, .random = word, .now_ns = static_cast<int64_t>(word)}),
              first);
  }
}

TEST(ConsistentHashBalancerTest, AClientAddressKeepsItsEndpointAcrossListeners) {
  const Backend backend = make_backend(9, true);
  ConsistentHashBalancer balancer(backend);
  for (const char* client : {"192.0.2.1", "192.0.2.77", "198.51.100.200"}) {
    const std::string mapped = std::string("::ffff:") + client;
    EXPECT_EQ(balancer.pick(backend.endpoints, {.hash = hash_client_address(make_address(client))}),
              balancer.pick(backend.endpoints, {.hash = hash_client_address(make_address(mapped))}))
        << client;
  }
}

TEST(ConsistentHashBalancerTest, NoTableFallsBackToModulo) {
  const Backend backend = make_backend(6, false);
  ConsistentHashBalancer balancer(backend);
  for (uint64_t hash : {0ULL, 5ULL, 6ULL, 1234567ULL, ~0ULL}) {
    EXPECT_EQ(balancer.pick(backend.endpoints, {.hash = hash}), hash % 6);
  }
}

TEST(ConsistentHashBalancerTest, AListOtherThanTheTablesFallsBackToModulo) {
  const Backend backend = make_backend(6, true);
  ConsistentHashBalancer balancer(backend);
  const std::span<const Endpoint> fewer(backend.endpoints.data(), 4);
  std::mt19937_64 random(3);
  for (int i = 0; i < 1000; ++i) {
    const uint64_t hash = random();
    EXPECT_EQ(balancer.pick(fewer, {.hash = hash}), hash % 4);
  }
}

TEST(ConsistentHashBalancerTest, NoEndpointsNoPick) {
  const Backend backend = make_backend(0, true);
  ConsistentHashBalancer balancer(backend);
  EXPECT_EQ(balancer.pick(backend.endpoints, {.hash = 17}), std::nullopt);
}

}  // namespace
}  // namespace portico::proxy
