// Snapshot swaps under live traffic: a real Server with two workers in front of two in-test
// upstreams, while the test publishes snapshots that move every route between them.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <pthread.h>

#include <gtest/gtest.h>
#include <boost/asio/ip/address.hpp>

#include "proxy/http/head_parser.h"
#include "proxy/router/route_table.h"
#include "proxy/server/proxy_options.h"
#include "proxy/server/server.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"
#include "tests/unit/proxy/server/swap_test_peers.h"

namespace portico::proxy {
namespace {

using namespace std::chrono_literals;
using swap_test::Client;
using swap_test::FakeUpstream;
using swap_test::kWait;
using swap_test::Reply;
using swap_test::start_two_worker_server;

// A two-worker Server in front of upstreams A and B. Test thread only, except that worker
// threads count snapshots down in live_snapshots_ as they release them.
class SnapshotSwapTest : public ::testing::Test {
 protected:
  struct Route {
    PathType type;
    std::string path;
    const FakeUpstream* upstream;
  };

  void SetUp() override {
    server_ = start_two_worker_server();
    ASSERT_NE(server_, nullptr);
  }

  // A snapshot of the next generation with `routes` on every host; each upstream is one
  // backend whose single endpoint's state comes from the registry. Every snapshot is counted
  // in live_snapshots_ until the last holder lets go of it.
  std::shared_ptr<const RouteSnapshot> make_snapshot(const std::vector<Route>& routes) {
    auto snapshot = std::make_unique<RouteSnapshot>();
    snapshot->generation = ++generation_;
    std::map<const FakeUpstream*, std::shared_ptr<const RouteTarget>> targets;
    RouteTable::Builder builder;
    for (const Route& route : routes) {
      std::shared_ptr<const RouteTarget>& target = targets[route.upstream];
      if (target == nullptr) {
        auto backend = std::make_shared<Backend>();
        backend->index = static_cast<uint32_t>(snapshot->backends.size());
        backend->name = "test/" + route.upstream->name() + ":80";
        backend->namespace_ = "test";
        backend->service = route.upstream->name();
        const auto address = route.upstream->endpoint();
        backend->endpoints.push_back(
            Endpoint{address, 1,
                     registry_.acquire(address.address().to_string() + ":" +
                                       std::to_string(address.port()))});
        snapshot->backends.push_back(backend);
        target = std::make_shared<const RouteTarget>(RouteTarget{"test/swap", "test", backend});
      }
      std::string why;
      EXPECT_TRUE(builder.add("", PathRule{route.type, route.path, target}, &why)) << why;
    }
    snapshot->routes = std::move(builder).build();
    ++live_snapshots_;
    return std::shared_ptr<const RouteSnapshot>(snapshot.release(),
                                                [this](const RouteSnapshot* dead) {
                                                  delete dead;
                                                  record_freeing_thread();
                                                  --live_snapshots_;
                                                });
  }

  std::shared_ptr<const RouteSnapshot> everything_to(const FakeUpstream& upstream) {
    return make_snapshot({{PathType::kPrefix, "/", &upstream}});
  }

  // Server::collect() is answered by each worker from its own queue, behind every publish
  // posted before it: once it returns, every worker serves new requests from the latest
  // snapshot.
  void wait_until_applied() { server_->collect(kWait); }

  // Snapshots are released on worker threads, shortly after the requests holding them end.
  bool live_snapshots_become(int expected) {
    const auto give_up = std::chrono::steady_clock::now() + kWait;
    while (live_snapshots_.load() != expected) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      std::this_thread::sleep_for(1ms);
    }
    return true;
  }

  void record_freeing_thread() {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof(name));
    std::lock_guard lock(freed_on_mutex_);
    freed_on_.push_back(name);
  }
  std::vector<std::string> freed_on() {
    std::lock_guard lock(freed_on_mutex_);
    return freed_on_;
  }

  // Declared before the server, which releases snapshots while it stops.
  std::mutex freed_on_mutex_;
  std::vector<std::string> freed_on_;  // thread names, one per freed snapshot
  std::atomic<int> live_snapshots_{0};
  EndpointStateRegistry registry_;
  FakeUpstream upstream_a_{"A"};
  FakeUpstream upstream_b_{"B"};
  uint64_t generation_ = 0;
  std::unique_ptr<Server> server_;
};

// What the client threads of the concurrent test saw, and how far they have got. Every
// member is guarded by `mutex` while the clients run.
struct Traffic {
  std::mutex mutex;
  std::condition_variable progressed;
  uint64_t responses = 0;
  std::map<std::string, uint64_t> bodies;
  std::vector<std::string> failures;

  void record(const Reply& reply) {
    std::lock_guard lock(mutex);
    ++responses;
    if (reply.error.empty() && reply.status == 200 && (reply.body == "A" || reply.body == "B")) {
      ++bodies[reply.body];
    } else {
      std::ostringstream text;
      text << reply;
      failures.push_back(text.str());
    }
    progressed.notify_all();
  }

  // Waits until `more` responses beyond those seen so far have arrived; false when they do
  // not come within kWait or a client has failed (and stopped).
  bool wait_for_more_responses(uint64_t more) {
    std::unique_lock lock(mutex);
    const uint64_t target = responses + more;
    return progressed.wait_for(lock, kWait, [&] { return responses >= target; }) &&
           failures.empty();
  }
};

TEST_F(SnapshotSwapTest, ConcurrentKeepAliveClientsOnlySeeWholeSnapshotsAndFollowTheLastOne) {
  constexpr int kClients = 4;
  constexpr int kPublishes = 299;  // after A: B, A, ..., B
  constexpr uint64_t kResponsesPerPublish = kClients;
  server_->publish(everything_to(upstream_a_));

  Traffic traffic;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      Client client(server_->http_port());
      while (!stop.load()) {
        const Reply reply = client.get("/");
        traffic.record(reply);
        if (!reply.error.empty()) return;
      }
    });
  }
  // Each publish waits for a few responses, so that swaps interleave with requests in flight
  // on every connection rather than all landing before the first request.
  for (int i = 0; i < kPublishes; ++i) {
    if (!traffic.wait_for_more_responses(kResponsesPerPublish)) break;
    server_->publish(everything_to(i % 2 == 0 ? upstream_b_ : upstream_a_));
  }
  stop = true;
  for (std::thread& client : clients) client.join();

  EXPECT_TRUE(traffic.failures.empty())
      << traffic.failures.size() << " bad responses, the first: " << traffic.failures.front();
  EXPECT_GT(traffic.bodies["A"], 0u);
  EXPECT_GT(traffic.bodies["B"], 0u);
  EXPECT_GE(traffic.responses, kPublishes * kResponsesPerPublish);

  // The last snapshot (B) is now the only one serving, on fresh and old connections alike;
  // all the others have been freed.
  wait_until_applied();
  for (int i = 0; i < kClients; ++i) {
    Client client(server_->http_port());
    for (int request = 0; request < 3; ++request) {
      const Reply reply = client.get("/");
      EXPECT_EQ(reply.status, 200) << reply;
      EXPECT_EQ(reply.body, "B") << reply;
    }
  }
  EXPECT_TRUE(live_snapshots_become(1)) << live_snapshots_.load() << " snapshots still alive";
}

TEST_F(SnapshotSwapTest, RetiredSnapshotsAreFreedOffTheWorkerThreads) {
  // Freeing a large snapshot takes milliseconds: a worker must never be the one doing it.
  for (int i = 0; i < 4; ++i) {
    server_->publish(everything_to(i % 2 == 0 ? upstream_a_ : upstream_b_));
    EXPECT_EQ(Client(server_->http_port()).get("/").status, 200);
  }
  wait_until_applied();
  ASSERT_TRUE(live_snapshots_become(1)) << live_snapshots_.load() << " snapshots still alive";
  const std::vector<std::string> threads = freed_on();
  ASSERT_EQ(threads.size(), 3u);
  for (const std::string& thread : threads) EXPECT_EQ(thread, "portico-reclaim");
}

TEST_F(SnapshotSwapTest, RequestInFlightFinishesOnTheSnapshotItStartedWith) {
  server_->publish(everything_to(upstream_a_));
  Client slow_client(server_->http_port());
  Reply slow_reply;
  std::thread slow_request([&] { slow_reply = slow_client.get("/slow"); });

  const bool slow_reached_a = upstream_a_.wait_for_slow_request();
  server_->publish(everything_to(upstream_b_));
  wait_until_applied();
  // Only the request in flight still holds A's snapshot now.
  const int live_while_in_flight = live_snapshots_.load();
  const Reply fresh = Client(server_->http_port()).get("/");
  upstream_a_.release_slow();
  slow_request.join();

  ASSERT_TRUE(slow_reached_a);
  EXPECT_EQ(live_while_in_flight, 2);
  EXPECT_EQ(fresh.body, "B") << fresh;
  EXPECT_EQ(slow_reply.status, 200) << slow_reply;
  EXPECT_EQ(slow_reply.body, "A") << slow_reply;
  // The connection carries on with the new snapshot, and A's is freed once nothing uses it.
  const Reply next = slow_client.get("/");
  EXPECT_EQ(next.body, "B") << next;
  EXPECT_TRUE(live_snapshots_become(1)) << live_snapshots_.load() << " snapshots still alive";
}

TEST_F(SnapshotSwapTest, EndpointStateAndPooledConnectionsSurviveASwap) {
  const auto first = everything_to(upstream_a_);
  server_->publish(first);
  Client client(server_->http_port());
  const Reply before = client.get("/");
  ASSERT_EQ(before.body, "A") << before;
  ASSERT_EQ(upstream_a_.accepted(), 1);

  // The new snapshot names the same endpoint and adds a path to B that tells this client
  // when its worker has swapped: the old snapshot sends that path to A.
  const auto second = make_snapshot(
      {{PathType::kPrefix, "/", &upstream_a_}, {PathType::kExact, "/moved", &upstream_b_}});
  EXPECT_EQ(second->backends[0]->endpoints[0].state, first->backends[0]->endpoints[0].state);
  server_->publish(second);
  Reply moved = client.get("/moved");
  for (const auto give_up = std::chrono::steady_clock::now() + kWait;
       moved.body == "A" && std::chrono::steady_clock::now() < give_up;) {
    moved = client.get("/moved");
  }
  ASSERT_EQ(moved.body, "B") << moved;

  const Reply after = client.get("/");
  EXPECT_EQ(after.status, 200) << after;
  EXPECT_EQ(after.body, "A") << after;
  EXPECT_EQ(upstream_a_.accepted(), 1) << "the swap cost A's pooled connection";
}

}  // namespace
}  // namespace portico::proxy
