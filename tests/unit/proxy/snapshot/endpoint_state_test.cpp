#include "proxy/snapshot/endpoint_state.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

std::string identity(int i) {
  return "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ":8080";
}

TEST(EndpointStateRegistryTest, SameIdentityGivesTheSameObjectWhileReferenced) {
  EndpointStateRegistry registry;
  const std::shared_ptr<EndpointState> first = registry.acquire("10.0.0.1:80");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->identity, "10.0.0.1:80");
  first->active_requests.store(5);

  const std::shared_ptr<EndpointState> again = registry.acquire("10.0.0.1:80");
  EXPECT_EQ(again.get(), first.get());
  EXPECT_EQ(again->active_requests.load(), 5);

  const std::shared_ptr<EndpointState> other = registry.acquire("10.0.0.2:80");
  EXPECT_NE(other.get(), first.get());
  EXPECT_EQ(other->identity, "10.0.0.2:80");
}

TEST(EndpointStateRegistryTest, FreshObjectOnceEveryReferenceIsGone) {
  EndpointStateRegistry registry;
  std::shared_ptr<EndpointState> state = registry.acquire("10.0.0.1:80");
  state->total_requests.store(7);
  std::weak_ptr<EndpointState> watcher = state;
  state.reset();
  ASSERT_TRUE(watcher.expired());  // the registry itself holds no strong reference

  // The address may be reused by the allocator, so tell the objects apart by their state.
  const std::shared_ptr<EndpointState> fresh = registry.acquire("10.0.0.1:80");
  EXPECT_EQ(fresh->total_requests.load(), 0u);
  EXPECT_EQ(fresh->identity, "10.0.0.1:80");
}

TEST(EndpointStateRegistryTest, ExpiredEntriesArePrunedAndLiveOnesKept) {
  constexpr int kLive = 100;
  constexpr int kChurn = 20000;
  EndpointStateRegistry registry;
  std::vector<std::shared_ptr<EndpointState>> live;
  for (int i = 0; i < kLive; ++i) {
    live.push_back(registry.acquire(identity(i)));
    live.back()->total_requests.store(static_cast<uint64_t>(i) + 1);
  }
  for (int i = kLive; i < kLive + kChurn; ++i) registry.acquire(identity(i));

  // Without pruning every churned identity would still have an entry.
  EXPECT_LT(registry.size_for_tests(), static_cast<std::size_t>(10 * kLive));
  for (int i = 0; i < kLive; ++i) {
    const std::shared_ptr<EndpointState> again = registry.acquire(identity(i));
    ASSERT_EQ(again.get(), live[i].get()) << identity(i);
    EXPECT_EQ(again->total_requests.load(), static_cast<uint64_t>(i) + 1);
  }
}

TEST(EndpointStateRegistryTest, ConcurrentAcquiresAgreeOnOneObject) {
  constexpr int kThreads = 4;
  EndpointStateRegistry registry;
  std::vector<std::shared_ptr<EndpointState>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, &results, t] {
      for (int i = 0; i < 1000; ++i) registry.acquire(identity(i));
      results[t] = registry.acquire("10.9.9.9:80");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(results[t].get(), results[0].get());
}

TEST(EndpointIdentityTest, MatchesAddressAndPortTextBothFamilies) {
  using boost::asio::ip::make_address;
  using boost::asio::ip::tcp;
  EXPECT_EQ(endpoint_identity(tcp::endpoint(make_address("10.0.0.1"), 8080)), "10.0.0.1:8080");
  EXPECT_EQ(endpoint_identity(tcp::endpoint(make_address("255.255.255.0"), 1)), "255.255.255.0:1");
  EXPECT_EQ(endpoint_identity(tcp::endpoint(make_address("2001:db8::1"), 443)),
            "[2001:db8::1]:443");
}

}  // namespace
}  // namespace portico::proxy
