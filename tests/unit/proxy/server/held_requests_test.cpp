// Scale from zero on the data plane: a real two-worker Server whose only Service has no
// endpoint and holds requests, real client sockets, and an in-test upstream published as the
// Service's first endpoint.
#include "proxy/server/held_requests.h"

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "proxy/metrics/proxy_metrics.h"
#include "proxy/router/route_table.h"
#include "proxy/server/proxy_options.h"
#include "proxy/server/server.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"
#include "tests/unit/proxy/server/swap_test_peers.h"

namespace portico::proxy {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using swap_test::Client;
using swap_test::FakeUpstream;
using swap_test::kWait;
using swap_test::Reply;
using swap_test::start_two_worker_server;

const std::string kRetryAfter = std::to_string(kHoldRetryAfterSeconds);

// Polls `condition` (state that worker threads change) until it holds or kWait passes.
bool eventually(const std::function<bool()>& condition) {
  const auto give_up = Clock::now() + kWait;
  while (!condition()) {
    if (Clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A two-worker Server whose every request goes to Service shop/web. Test thread only.
class HeldRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = start_two_worker_server();
    ASSERT_NE(server_, nullptr);
  }

  // Routes every request to shop/web, whose one endpoint is the upstream when
  // `with_endpoint`; without one, requests are held as `hold` says (not at all when unset).
  void publish(bool with_endpoint, std::optional<HoldWhenEmpty> hold) {
    auto snapshot = std::make_shared<RouteSnapshot>();
    snapshot->generation = ++generation_;
    auto backend = std::make_shared<Backend>();
    backend->name = "shop/web:80";
    backend->namespace_ = "shop";
    backend->service = "web";
    backend->hold_when_empty = hold;
    backend->state = service_;
    if (with_endpoint) {
      const auto address = upstream_.endpoint();
      backend->endpoints.push_back(
          Endpoint{address, 1, registry_.acquire(endpoint_identity(address))});
    }
    snapshot->backends.push_back(backend);
    auto target = std::make_shared<const RouteTarget>(RouteTarget{"shop/main", "shop", backend});
    RouteTable::Builder builder;
    std::string why;
    EXPECT_TRUE(builder.add("", PathRule{PathType::kPrefix, "/", target}, &why)) << why;
    snapshot->routes = std::move(builder).build();
    server_->publish(snapshot);
  }

  void publish_without_routes() {
    auto snapshot = std::make_shared<RouteSnapshot>();
    snapshot->generation = ++generation_;
    server_->publish(snapshot);
  }

  // Publishes and waits until every worker serves new requests from the snapshot.
  void publish_applied(bool with_endpoint, std::optional<HoldWhenEmpty> hold) {
    publish(with_endpoint, hold);
    server_->collect(kWait);
  }

  bool held_becomes(int64_t expected) {
    return eventually([&] { return service_->held.load() == expected; });
  }

  // A GET of `path` on `client`, answered on another thread.
  static std::future<Reply> get_async(Client& client, std::string path) {
    return std::async(std::launch::async, [&client, path] { return client.get(path); });
  }

  EndpointStateRegistry registry_;
  std::shared_ptr<BackendState> service_ = registry_.acquire_backend("shop/web");
  FakeUpstream upstream_{"A"};
  uint64_t generation_ = 0;
  std::unique_ptr<Server> server_;
};

TEST_F(HeldRequestsTest, HeldRequestIsForwardedAsSoonAsItsServiceGetsAnEndpoint) {
  publish_applied(false, HoldWhenEmpty{10, 60s});
  Client client(server_->http_port());
  std::future<Reply> reply = get_async(client, "/slow");
  ASSERT_TRUE(held_becomes(1)) << "held: " << service_->held.load();

  const auto published = Clock::now();
  publish(true, HoldWhenEmpty{10, 60s});
  const bool reached_upstream = upstream_.wait_for_slow_request();
  const double latency_ms = milliseconds_since(published);
  upstream_.release_slow();
  const Reply answer = reply.get();

  ASSERT_TRUE(reached_upstream);
  std::printf("[ measured ] publish to upstream: %.3f ms\n", latency_ms);
  EXPECT_LT(latency_ms, 1000);
  EXPECT_EQ(answer.status, 200) << answer;
  EXPECT_EQ(answer.body, "A") << answer;
  EXPECT_EQ(service_->held.load(), 0);
  EXPECT_EQ(service_->arrivals.load(), 1u);
  // The connection carries on like any other.
  const Reply next = client.get("/");
  EXPECT_EQ(next.status, 200) << next;
  EXPECT_EQ(service_->arrivals.load(), 2u);
}

TEST_F(HeldRequestsTest, HeldBodyStaysInTheSocketUntilForwarded) {
  publish_applied(false, HoldWhenEmpty{10, 60s});
  Client client(server_->http_port());
  ASSERT_TRUE(
      client.send("POST /upload HTTP/1.1\r\nHost: swap.test\r\nContent-Length: 10\r\n\r\n"
                  "01234"));
  ASSERT_TRUE(held_becomes(1));
  // More body while held: a live client, not a disconnect.
  ASSERT_TRUE(client.send("56789"));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(service_->held.load(), 1);

  publish(true, HoldWhenEmpty{10, 60s});
  const Reply answer = client.receive();
  EXPECT_EQ(answer.status, 200) << answer;
  EXPECT_EQ(upstream_.last_body(), "0123456789");
  EXPECT_EQ(service_->held.load(), 0);
}

TEST_F(HeldRequestsTest, HeldRequestIsRoutedAgainstTheNewSnapshot) {
  publish_applied(false, HoldWhenEmpty{10, 60s});
  Client client(server_->http_port());
  std::future<Reply> reply = get_async(client, "/");
  ASSERT_TRUE(held_becomes(1));

  publish_without_routes();
  const Reply answer = reply.get();
  EXPECT_EQ(answer.status, 404) << answer;
  EXPECT_EQ(service_->held.load(), 0);
}

TEST_F(HeldRequestsTest, BeyondTheQueueSizeRequestsAreRefusedAtOnceWithRetryAfter) {
  constexpr uint32_t kQueueSize = 2;
  publish_applied(false, HoldWhenEmpty{kQueueSize, 60s});
  // Separate connections, so that the held requests spread over both workers.
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::future<Reply>> replies;
  for (uint32_t i = 0; i < kQueueSize; ++i) {
    clients.push_back(std::make_unique<Client>(server_->http_port()));
    replies.push_back(get_async(*clients.back(), "/"));
  }
  ASSERT_TRUE(held_becomes(kQueueSize));

  for (int i = 0; i < 4; ++i) {
    const auto sent = Clock::now();
    const Reply refused = Client(server_->http_port()).get("/");
    EXPECT_EQ(refused.status, 503) << refused;
    EXPECT_EQ(refused.retry_after, kRetryAfter) << refused;
    EXPECT_LT(milliseconds_since(sent), 1000);
  }
  EXPECT_EQ(service_->held.load(), static_cast<int64_t>(kQueueSize));

  publish(true, HoldWhenEmpty{kQueueSize, 60s});
  for (std::future<Reply>& reply : replies) {
    const Reply answer = reply.get();
    EXPECT_EQ(answer.status, 200) << answer;
  }
  EXPECT_EQ(service_->held.load(), 0);
  EXPECT_EQ(service_->arrivals.load(), kQueueSize + 4);
}

TEST_F(HeldRequestsTest, ConcurrentArrivalsOverBothWorkersNeverExceedTheQueueSize) {
  constexpr uint32_t kQueueSize = 4;
  constexpr std::size_t kClients = 16;
  publish_applied(false, HoldWhenEmpty{kQueueSize, 60s});
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(server_->http_port()));
  }
  std::vector<std::future<Reply>> replies;
  for (auto& client : clients) replies.push_back(get_async(*client, "/"));
  auto answered = [&] {
    std::size_t ready = 0;
    for (auto& reply : replies) ready += reply.wait_for(0s) == std::future_status::ready;
    return ready;
  };
  ASSERT_TRUE(eventually([&] { return answered() == kClients - kQueueSize; })) << answered();
  EXPECT_EQ(service_->held.load(), static_cast<int64_t>(kQueueSize));

  publish(true, HoldWhenEmpty{kQueueSize, 60s});
  std::size_t ok = 0;
  std::size_t refused = 0;
  for (auto& reply : replies) {
    const Reply answer = reply.get();
    ok += answer.status == 200;
    refused += answer.status == 503 && answer.retry_after == kRetryAfter;
  }
  EXPECT_EQ(ok, kQueueSize);
  EXPECT_EQ(refused, kClients - kQueueSize);
  EXPECT_EQ(service_->held.load(), 0);
}

TEST_F(HeldRequestsTest, HoldTimeoutAnswers503WithRetryAfter) {
  constexpr auto kTimeout = 300ms;
  publish_applied(false, HoldWhenEmpty{10, kTimeout});
  Client client(server_->http_port());
  const auto sent = Clock::now();
  const Reply answer = client.get("/");
  const double elapsed_ms = milliseconds_since(sent);

  std::printf("[ measured ] 300 ms hold timed out after %.1f ms\n", elapsed_ms);
  EXPECT_EQ(answer.status, 503) << answer;
  EXPECT_EQ(answer.retry_after, kRetryAfter) << answer;
  EXPECT_GE(elapsed_ms, 300);
  EXPECT_LT(elapsed_ms, 1000);
  EXPECT_EQ(service_->held.load(), 0);
}

TEST_F(HeldRequestsTest, ClientDisconnectFreesTheSlot) {
  publish_applied(false, HoldWhenEmpty{1, 60s});
  {
    Client leaving(server_->http_port());
    ASSERT_TRUE(leaving.send_get("/"));
    ASSERT_TRUE(held_becomes(1));
  }
  EXPECT_TRUE(held_becomes(0)) << "held: " << service_->held.load();

  // The one place in the queue is free again.
  Client staying(server_->http_port());
  std::future<Reply> reply = get_async(staying, "/");
  ASSERT_TRUE(held_becomes(1));
  publish(true, HoldWhenEmpty{1, 60s});
  EXPECT_EQ(reply.get().status, 200);
}

TEST_F(HeldRequestsTest, ClientDisconnectWithABodyStillComingFreesTheSlot) {
  publish_applied(false, HoldWhenEmpty{1, 60s});
  {
    Client leaving(server_->http_port());
    ASSERT_TRUE(leaving.send("POST / HTTP/1.1\r\nHost: swap.test\r\nContent-Length: 100\r\n\r\n"));
    ASSERT_TRUE(held_becomes(1));
    ASSERT_TRUE(leaving.send("part of the body"));
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(held_becomes(0)) << "held: " << service_->held.load();
}

TEST_F(HeldRequestsTest, DrainAnswersHeldRequests503WithRetryAfter) {
  publish_applied(false, HoldWhenEmpty{10, 60s});
  Client client(server_->http_port());
  std::future<Reply> reply = get_async(client, "/");
  ASSERT_TRUE(held_becomes(1));

  const auto drain_started = Clock::now();
  std::thread drain([&] { server_->drain_and_stop(); });
  const Reply answer = reply.get();
  const double answered_ms = milliseconds_since(drain_started);
  drain.join();

  EXPECT_EQ(answer.status, 503) << answer;
  EXPECT_EQ(answer.retry_after, kRetryAfter) << answer;
  EXPECT_LT(answered_ms, 1000) << "answered by the drain, not by its timeout";
  EXPECT_EQ(service_->held.load(), 0);
}

TEST_F(HeldRequestsTest, WithoutHoldingAnEmptyServiceAnswers503AtOnce) {
  publish_applied(false, std::nullopt);
  const auto sent = Clock::now();
  const Reply answer = Client(server_->http_port()).get("/");
  EXPECT_EQ(answer.status, 503) << answer;
  EXPECT_TRUE(answer.retry_after.empty()) << answer;
  EXPECT_LT(milliseconds_since(sent), 1000);
  EXPECT_EQ(service_->held.load(), 0);
  EXPECT_EQ(service_->arrivals.load(), 1u);
}

TEST_F(HeldRequestsTest, ArrivalsCountEveryRequestRoutedToTheService) {
  publish_applied(true, HoldWhenEmpty{0, 60s});
  Client client(server_->http_port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.get("/").status, 200);
  EXPECT_EQ(service_->arrivals.load(), 3u);

  // Refused (a queue of none) counts too; a request routed nowhere does not.
  publish_applied(false, HoldWhenEmpty{0, 60s});
  EXPECT_EQ(client.get("/").status, 503);
  publish_without_routes();
  server_->collect(kWait);
  EXPECT_EQ(client.get("/").status, 404);
  EXPECT_EQ(service_->arrivals.load(), 4u);
}

const prometheus::ClientMetric* service_sample(
    const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  const std::vector<prometheus::ClientMetric::Label> labels = {{"namespace", "shop"},
                                                               {"service", "web"}};
  for (const auto& family : families) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      if (metric.label == labels) return &metric;
    }
  }
  return nullptr;
}

TEST_F(HeldRequestsTest, HeldAndInFlightRequestsShowInTheMetrics) {
  const ProxyMetrics metrics(*server_);
  auto gauge = [&](const std::string& name) {
    const auto families = metrics.Collect();
    const prometheus::ClientMetric* sample = service_sample(families, name);
    return sample != nullptr ? sample->gauge.value : -1;
  };
  publish_applied(false, HoldWhenEmpty{10, 60s});
  Client client(server_->http_port());
  std::future<Reply> reply = get_async(client, "/slow");
  ASSERT_TRUE(held_becomes(1));
  EXPECT_EQ(gauge("portico_held_requests"), 1);
  EXPECT_EQ(gauge("portico_service_requests_in_flight"), 0);

  publish(true, HoldWhenEmpty{10, 60s});
  ASSERT_TRUE(upstream_.wait_for_slow_request());
  EXPECT_EQ(gauge("portico_held_requests"), 0);
  EXPECT_EQ(gauge("portico_service_requests_in_flight"), 1);
  upstream_.release_slow();
  EXPECT_EQ(reply.get().status, 200);
  EXPECT_TRUE(eventually([&] { return gauge("portico_service_requests_in_flight") == 0; }));

  // The held request is counted with its final status, like any other.
  auto answered_ok = [&] {
    double ok = 0;
    for (const auto& family : metrics.Collect()) {
      if (family.name != "portico_requests_total") continue;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          if (label.name == "code" && label.value == "200") ok += metric.counter.value;
        }
      }
    }
    return ok;
  };
  EXPECT_TRUE(eventually([&] { return answered_ok() == 1; })) << answered_ok();
}

}  // namespace
}  // namespace portico::proxy
