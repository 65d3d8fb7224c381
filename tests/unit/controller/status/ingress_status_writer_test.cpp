// IngressStatusWriter against the fake API server over real HTTP. The store is a plain
// StoreContents the test edits, standing in for what the watch would deliver.
#include "controller/status/ingress_status_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <cpprest/json.h>

#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/unit/controller/status/load_balancer_status_printer.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"

namespace portico::controller::status {
namespace {

using namespace std::chrono_literals;
using portico::testing::eventually;
using portico::testing::FakeApiServer;
using portico::testing::parse_json;
using web::json::value;

constexpr char kIngresses[] = "/apis/networking.k8s.io/v1/ingresses";
// Long enough for the writer to act on a mark if it (wrongly) were going to.
constexpr auto kSettle = 300ms;

LoadBalancerIngress ip(const std::string& address) {
  return {.ip = address, .hostname = {}};
}
LoadBalancerIngress host(const std::string& name) {
  return {.ip = {}, .hostname = name};
}

std::string status_json(const LoadBalancerStatus& status) {
  std::string json = R"({"loadBalancer":{"ingress":[)";
  for (std::size_t i = 0; i < status.size(); ++i) {
    if (i) json += ',';
    json += status[i].ip.empty() ? R"({"hostname":")" + status[i].hostname + "\"}"
                                 : R"({"ip":")" + status[i].ip + "\"}";
  }
  return json + "]}}";
}

// The status the fake server holds for an Ingress, in canonical order.
LoadBalancerStatus server_status(const std::string& json) {
  LoadBalancerStatus status;
  const value object = parse_json(json);
  if (!object.has_field("status")) return status;
  for (const value& entry : object.at("status").at("loadBalancer").at("ingress").as_array()) {
    status.push_back({entry.has_field("ip") ? entry.at("ip").as_string() : "",
                      entry.has_field("hostname") ? entry.at("hostname").as_string() : ""});
  }
  return normalized(status);
}

class IngressStatusWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    kube::ClientConfig config;
    config.server = server_.url();
    auto client = kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
    config_.source = LoadBalancerStatus{ip("10.0.0.1"), host("lb.example.com")};
    config_.resync_period = 1h;
    config_.retry = kube::BackoffOptions{20ms, 100ms, 2.0, 0.5};
  }
  void TearDown() override {
    if (writer_) writer_->stop();
    client_->shutdown();
  }

  // Creates the Ingress on the server and puts its model in the store.
  void add_ingress(const std::string& ns, const std::string& name, const std::string& klass,
                   const LoadBalancerStatus& status) {
    std::string json = R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns +
                       R"("},"spec":{"ingressClassName":")" + klass + R"("})";
    if (!status.empty()) json += R"(,"status":)" + status_json(status);
    json += "}";
    const value stored = parse_json(server_.create(kIngresses, json));
    Ingress ingress;
    ingress.meta.namespace_ = ns;
    ingress.meta.name = name;
    ingress.meta.resource_version = stored.at("metadata").at("resourceVersion").as_string();
    ingress.ingress_class_name = klass;
    ingress.status = status;
    std::lock_guard lock(mutex_);
    contents_.put(std::move(ingress));
  }

  // What the watch would deliver after a write to the Ingress on the server.
  void sync_from_server(const std::string& ns, const std::string& name) {
    const value stored = parse_json(*server_.get(kIngresses, ns, name));
    std::lock_guard lock(mutex_);
    Ingress ingress = *contents_.ingresses.at(ns + "/" + name);
    ingress.meta.resource_version = stored.at("metadata").at("resourceVersion").as_string();
    ingress.status = server_status(stored.serialize());
    contents_.put(std::move(ingress));
  }

  void start_writer(std::function<bool()> is_leader) {
    writer_ = std::make_unique<IngressStatusWriter>(
        *client_, config_,
        [this] {
          std::lock_guard lock(mutex_);
          return contents_;
        },
        std::move(is_leader));
    writer_->start();
  }

  std::vector<portico::testing::RecordedRequest> patches() const {
    std::vector<portico::testing::RecordedRequest> found;
    for (auto& request : server_.requests()) {
      if (request.method == "PATCH") found.push_back(request);
    }
    return found;
  }

  LoadBalancerStatus status_of(const std::string& ns, const std::string& name) {
    return server_status(*server_.get(kIngresses, ns, name));
  }

  FakeApiServer server_;
  std::unique_ptr<kube::RestApiClient> client_;
  IngressStatusWriterConfig config_;
  std::mutex mutex_;
  StoreContents contents_;
  std::unique_ptr<IngressStatusWriter> writer_;
};

TEST_F(IngressStatusWriterTest, WritesOnlyAsLeaderAndOnlyWhatDiffers) {
  const LoadBalancerStatus target{host("lb.example.com"), ip("10.0.0.1")};
  add_ingress("shop", "stale", "portico", {ip("10.0.0.9")});
  add_ingress("shop", "current", "portico", target);
  add_ingress("shop", "theirs", "nginx", {});
  std::atomic<bool> leader{false};
  start_writer([&] { return leader.load(); });

  writer_->mark_dirty();
  std::this_thread::sleep_for(kSettle);
  EXPECT_TRUE(patches().empty()) << "a follower wrote";

  leader = true;
  writer_->mark_dirty();
  ASSERT_TRUE(eventually([&] { return patches().size() == 1; }));
  const auto patch = patches()[0];
  EXPECT_EQ(patch.target, "/apis/networking.k8s.io/v1/namespaces/shop/ingresses/stale/status");
  EXPECT_EQ(patch.content_type, "application/merge-patch+json");
  EXPECT_EQ(parse_json(patch.body),
            parse_json(R"({"status":{"loadBalancer":{"ingress":[{"hostname":"lb.example.com"},)"
                       R"({"ip":"10.0.0.1"}]}}})"));
  EXPECT_EQ(status_of("shop", "stale"), target);
  EXPECT_TRUE(status_of("shop", "theirs").empty());

  // Before and after the watch catches up with the write: nothing differs, nothing written.
  writer_->mark_dirty();
  std::this_thread::sleep_for(kSettle);
  sync_from_server("shop", "stale");
  writer_->mark_dirty();
  std::this_thread::sleep_for(kSettle);
  EXPECT_EQ(patches().size(), 1u);

  // Someone overwrites it: written back.
  server_.update(kIngresses, R"({"metadata":{"name":"stale","namespace":"shop"},)"
                             R"("spec":{"ingressClassName":"portico"},)"
                             R"("status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.7"}]}}})");
  sync_from_server("shop", "stale");
  writer_->mark_dirty();
  ASSERT_TRUE(eventually([&] { return patches().size() == 2; }));
  ASSERT_TRUE(eventually([&] { return status_of("shop", "stale") == target; }));
}

TEST_F(IngressStatusWriterTest, LosingLeadershipStopsWritingBeforeTheNextIngress) {
  for (int i = 0; i < 5; ++i) add_ingress("shop", "web" + std::to_string(i), "portico", {});
  // Leader for the check at the start of the sync and for the first two writes only.
  std::atomic<int> checks{0};
  start_writer([&] { return checks++ < 3; });
  writer_->mark_dirty();
  ASSERT_TRUE(eventually([&] { return patches().size() == 2; }));
  std::this_thread::sleep_for(kSettle);
  EXPECT_EQ(patches().size(), 2u);
  EXPECT_FALSE(status_of("shop", "web0").empty());
  EXPECT_FALSE(status_of("shop", "web1").empty());
  EXPECT_TRUE(status_of("shop", "web2").empty());
}

TEST_F(IngressStatusWriterTest, FailedWritesAreRetriedWithBackoff) {
  add_ingress("shop", "web", "portico", {});
  server_.fail_next(2, 503);
  start_writer([] { return true; });
  writer_->mark_dirty();
  ASSERT_TRUE(eventually([&] { return !status_of("shop", "web").empty(); }));
  EXPECT_EQ(patches().size(), 3u);
}

TEST_F(IngressStatusWriterTest, PublishServiceAddressesAreWrittenOnceTheServiceIsKnown) {
  config_.source = PublishServiceKey{"ingress/portico"};
  add_ingress("shop", "web", "portico", {ip("10.0.0.9")});
  start_writer([] { return true; });
  writer_->mark_dirty();
  std::this_thread::sleep_for(kSettle);
  EXPECT_TRUE(patches().empty()) << "a missing publish Service must not clear status";

  Service service;
  service.meta.namespace_ = "ingress";
  service.meta.name = "portico";
  service.cluster_ip = "10.96.0.10";
  service.load_balancer = {ip("203.0.113.5")};
  {
    std::lock_guard lock(mutex_);
    contents_.put(service);
  }
  writer_->mark_dirty();
  ASSERT_TRUE(eventually(
      [&] { return status_of("shop", "web") == LoadBalancerStatus{ip("203.0.113.5")}; }));
}

TEST_F(IngressStatusWriterTest, PeriodicResyncWritesWithoutAMark) {
  config_.resync_period = 200ms;
  add_ingress("shop", "web", "portico", {});
  std::atomic<bool> leader{false};
  start_writer([&] { return leader.load(); });
  writer_->mark_dirty();  // dropped: not the leader
  std::this_thread::sleep_for(100ms);
  leader = true;
  ASSERT_TRUE(eventually([&] { return patches().size() == 1; }, 2s));
}

}  // namespace
}  // namespace portico::controller::status
