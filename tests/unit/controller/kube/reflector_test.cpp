// The reflector against the fake API server over real HTTP: list, watch, pagination, 410,
// outages, faults and the EndpointSlice fallback, through the real cpprestsdk client.
#include "controller/kube/reflector.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"

namespace portico::controller::kube {
namespace {

using namespace std::chrono_literals;
using portico::testing::FakeApiServer;

constexpr char kServices[] = "/api/v1/services";

std::string service_json(const std::string& ns, const std::string& name, int port) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns +
         R"("},"spec":{"ports":[{"name":"http","port":)" + std::to_string(port) + "}]}}";
}

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

WatchedResource find_resource(const std::string& kind) {
  for (WatchedResource& resource : watched_resources()) {
    if (resource.resource.kind == kind) return resource;
  }
  ADD_FAILURE() << "no resource " << kind;
  return {};
}

class ReflectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    ClientConfig config;
    config.server = server_.url();
    auto client = RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
    options_.page_size = 500;
    options_.watch_timeout = 30s;
    options_.idle_timeout = 2s;
    options_.backoff = BackoffOptions{10ms, 100ms, 2.0, 0.5};
  }
  void TearDown() override {
    client_->shutdown();
    if (reflector_) reflector_->stop();
    server_.stop();
  }

  void start(const std::string& kind) {
    reflector_ = std::make_unique<Reflector>(*client_, find_resource(kind), store_, options_);
    reflector_->start();
  }
  bool synced() { return reflector_->state().synced; }
  std::optional<int32_t> service_port(const std::string& key) {
    const StoreContents contents = store_.contents();
    auto it = contents.services.find(key);
    if (it == contents.services.end() || it->second->ports.empty()) return std::nullopt;
    return it->second->ports[0].port;
  }
  std::size_t count_requests(const std::string& fragment) {
    std::size_t count = 0;
    for (const auto& request : server_.requests()) {
      if (request.target.find(fragment) != std::string::npos) ++count;
    }
    return count;
  }

  FakeApiServer server_;
  std::unique_ptr<RestApiClient> client_;
  int changes_ = 0;
  ObjectStore store_{[this] { ++changes_; }};
  ReflectorOptions options_;
  std::unique_ptr<Reflector> reflector_;
};

TEST_F(ReflectorTest, ListsThenFollowsAddsUpdatesAndDeletes) {
  server_.create(kServices, service_json("demo", "web", 80));
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  EXPECT_EQ(service_port("demo/web"), 80);
  EXPECT_TRUE(reflector_->state().healthy);

  server_.create(kServices, service_json("demo", "api", 81));
  ASSERT_TRUE(eventually([&] { return service_port("demo/api") == 81; }));
  server_.update(kServices, service_json("demo", "web", 8080));
  ASSERT_TRUE(eventually([&] { return service_port("demo/web") == 8080; }));
  server_.remove(kServices, "demo", "web");
  ASSERT_TRUE(eventually([&] { return !service_port("demo/web"); }));
  EXPECT_EQ(service_port("demo/api"), 81);

  // One list; the watch asked for bookmarks and a server-side timeout.
  EXPECT_EQ(count_requests("/api/v1/services?limit="), 1u);
  EXPECT_GE(count_requests("allowWatchBookmarks=true"), 1u);
  EXPECT_GE(count_requests("timeoutSeconds="), 1u);
}

TEST_F(ReflectorTest, ReadsEveryPageOfAPaginatedList) {
  for (int i = 0; i < 5; ++i)
    server_.create(kServices, service_json("demo", "s" + std::to_string(i), 80 + i));
  options_.page_size = 2;
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  EXPECT_EQ(store_.contents().services.size(), 5u);
  EXPECT_EQ(count_requests("continue="), 2u);
  // The store saw one replace for the whole list, not one change per page.
  EXPECT_EQ(changes_, 1);
}

TEST_F(ReflectorTest, CompactedHistoryAfterAnOutageRelistsAndConverges) {
  server_.create(kServices, service_json("demo", "old", 80));
  server_.create(kServices, service_json("demo", "kept", 81));
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced() && service_port("demo/kept") == 81; }));

  server_.stop();
  ASSERT_TRUE(eventually([&] { return !reflector_->state().healthy; }));
  // While the API server is away nothing is dropped.
  EXPECT_EQ(service_port("demo/old"), 80);

  const uint16_t port = server_.port();
  server_.remove(kServices, "demo", "old");
  server_.create(kServices, service_json("demo", "new", 82));
  server_.compact();  // the DELETED event of "old" is gone: only a relist can notice
  server_.start(port);

  ASSERT_TRUE(eventually([&] { return service_port("demo/new") == 82; }));
  EXPECT_TRUE(eventually([&] { return !service_port("demo/old"); }));
  EXPECT_EQ(service_port("demo/kept"), 81);
  EXPECT_TRUE(eventually([&] { return reflector_->state().healthy; }));
  EXPECT_GE(count_requests("/api/v1/services?limit="), 2u);
}

TEST_F(ReflectorTest, PlainHttp410OnWatchAlsoRelists) {
  server_.create(kServices, service_json("demo", "a", 80));
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  server_.stop();
  const uint16_t port = server_.port();
  server_.remove(kServices, "demo", "a");
  server_.compact(/*plain_410=*/true);
  server_.start(port);
  EXPECT_TRUE(eventually([&] { return !service_port("demo/a"); }));
}

TEST_F(ReflectorTest, ServerErrorsAreRetriedWithBackoff) {
  server_.create(kServices, service_json("demo", "a", 80));
  server_.fail_next(3, 500);
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  EXPECT_EQ(service_port("demo/a"), 80);
}

TEST_F(ReflectorTest, ABookmarkMovesTheResumeVersion) {
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced() && server_.open_watches() == 1; }));
  // Changes elsewhere in the cluster move the global version; a bookmark tells us.
  server_.create("/api/v1/configmaps", R"({"metadata":{"name":"c","namespace":"demo"}})");
  const std::string version = server_.resource_version();
  server_.send_bookmarks();
  std::this_thread::sleep_for(100ms);
  server_.drop_watches();
  EXPECT_TRUE(eventually([&] { return count_requests("resourceVersion=" + version) >= 1; }));
}

TEST_F(ReflectorTest, AStalledWatchIsAbandonedAfterTheIdleTimeout) {
  options_.idle_timeout = 1s;
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced() && server_.open_watches() == 1; }));
  server_.stall_watches(true);
  const std::size_t watches_before = count_requests("watch=1");
  // The stalled stream is given up and a new watch is opened (which stalls too).
  EXPECT_TRUE(eventually([&] { return count_requests("watch=1") > watches_before; }, 5s));
  server_.stall_watches(false);
  server_.create(kServices, service_json("demo", "late", 80));
  EXPECT_TRUE(eventually([&] { return service_port("demo/late") == 80; }, 8s));
}

TEST_F(ReflectorTest, AnObjectThatDoesNotDecodeKeepsItsLastGoodVersion) {
  server_.create(kServices, service_json("demo", "web", 80));
  start("Service");
  ASSERT_TRUE(eventually([&] { return service_port("demo/web") == 80; }));
  server_.update(
      kServices,
      R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"ports":[{"port":"x y"}]}})");
  server_.create(kServices, service_json("demo", "after", 81));
  ASSERT_TRUE(eventually([&] { return service_port("demo/after") == 81; }));
  EXPECT_EQ(service_port("demo/web"), 80);
  // A relist keeps it too.
  server_.stop();
  const uint16_t port = server_.port();
  server_.compact();
  server_.start(port);
  ASSERT_TRUE(eventually([&] { return count_requests("/api/v1/services?limit=") >= 2; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(service_port("demo/web"), 80);
}

TEST_F(ReflectorTest, EndpointsAreReadWhenEndpointSlicesAreNotServed) {
  server_.serve_group_version("/apis/discovery.k8s.io/v1", false);
  server_.create("/api/v1/endpoints", R"({"metadata":{"name":"web","namespace":"demo"},)"
                                      R"("subsets":[{"addresses":[{"ip":"10.0.0.1"}],)"
                                      R"("ports":[{"name":"http","port":8080}]}]})");
  start("EndpointSlice");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  const StoreContents contents = store_.contents();
  ASSERT_EQ(contents.endpoint_slices.size(), 1u);
  const EndpointSlice& slice = *contents.endpoint_slices.begin()->second;
  EXPECT_EQ(slice.service_name(), "web");
  ASSERT_EQ(slice.endpoints.size(), 1u);
  EXPECT_EQ(slice.endpoints[0].addresses[0], "10.0.0.1");
  EXPECT_EQ(reflector_->state().resource, "endpoints");
}

TEST_F(ReflectorTest, OnlyTlsSecretsAreRequestedAndStored) {
  server_.create("/api/v1/secrets", R"({"metadata":{"name":"token","namespace":"demo"},)"
                                    R"("type":"Opaque","data":{"password":"aHVudGVyMg=="}})");
  server_.create("/api/v1/secrets", R"({"metadata":{"name":"cert","namespace":"demo"},)"
                                    R"("type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA==",)"
                                    R"("tls.key":"a2V5"}})");
  start("Secret");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  const StoreContents contents = store_.contents();
  ASSERT_EQ(contents.secrets.size(), 1u);
  EXPECT_EQ(contents.secrets.at("demo/cert")->certificate_pem, "cert");
  EXPECT_GE(count_requests("fieldSelector=type%3Dkubernetes.io%2Ftls"), 1u);
}

TEST_F(ReflectorTest, WatchesOneNamespaceWhenAsked) {
  server_.create(kServices, service_json("demo", "a", 80));
  server_.create(kServices, service_json("other", "b", 81));
  options_.namespace_ = "demo";
  start("Service");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  EXPECT_EQ(service_port("demo/a"), 80);
  EXPECT_FALSE(service_port("other/b"));
  EXPECT_GE(count_requests("/api/v1/namespaces/demo/services?limit="), 1u);
}

std::string pod_json(const std::string& name, const std::string& weight, int restarts) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":"demo",)" +
         R"("annotations":{"portico.io/weight":")" + weight + R"("}},)" +
         R"("spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"250m"}}}]},)" +
         R"("status":{"phase":"Running","podIP":"10.1.0.7","conditions":[)" +
         R"({"type":"Ready","status":"True","lastTransitionTime":"2024-03-01T10:00:05Z"}],)" +
         R"("containerStatuses":[{"name":"app","restartCount":)" + std::to_string(restarts) +
         "}]}}";
}

TEST_F(ReflectorTest, PodsAreWatchedAndWritesOutsideTheirModelChangeNothing) {
  constexpr char kPods[] = "/api/v1/pods";
  server_.create(kPods, pod_json("web-1", "3", 0));
  start("Pod");
  ASSERT_TRUE(eventually([&] { return synced(); }));
  const auto weight = [&](const std::string& key) {
    const StoreContents contents = store_.contents();
    auto it = contents.pods.find(key);
    return it == contents.pods.end() ? std::string()
                                     : it->second->meta.annotations.at("portico.io/weight");
  };
  EXPECT_EQ(weight("demo/web-1"), "3");
  EXPECT_EQ(changes_, 1);

  // A container restart: a new resourceVersion and status, nothing the model keeps. The
  // next event's arrival shows that this one was handled.
  server_.update(kPods, pod_json("web-1", "3", 1));
  server_.create(kPods, pod_json("web-2", "1", 0));
  ASSERT_TRUE(eventually([&] { return weight("demo/web-2") == "1"; }));
  EXPECT_EQ(changes_, 2);

  server_.update(kPods, pod_json("web-1", "4", 1));
  ASSERT_TRUE(eventually([&] { return weight("demo/web-1") == "4"; }));
  EXPECT_EQ(changes_, 3);
}

std::string scaling_policy_json(const std::string& name, int max_replicas) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":"demo"},"spec":{)" +
         R"("targetRef":{"kind":"Deployment","name":"web"},"maxReplicas":)" +
         std::to_string(max_replicas) + R"(,"metrics":[{"cpu":{"targetUtilization":70}}]}})";
}

TEST_F(ReflectorTest, AnUninstalledCrdCountsAsListedAndIsPickedUpOnceInstalled) {
  constexpr char kPolicies[] = "/apis/autoscaling.portico.io/v1alpha1/scalingpolicies";
  options_.absent_recheck = 100ms;
  start("ScalingPolicy");
  ASSERT_TRUE(eventually([&] { return synced(); })) << "a missing CRD must not block readiness";
  EXPECT_TRUE(reflector_->state().healthy);
  EXPECT_TRUE(store_.contents().scaling_policies.empty());
  ASSERT_TRUE(eventually([&] { return count_requests("scalingpolicies?limit=") >= 2; }))
      << "the list is retried, to see the CRD once it is installed";

  server_.serve_group_version("/apis/autoscaling.portico.io/v1alpha1", true);
  server_.create(kPolicies, scaling_policy_json("web", 5));
  ASSERT_TRUE(eventually([&] { return store_.contents().scaling_policies.size() == 1; }));
  EXPECT_EQ(store_.contents().scaling_policies.at("demo/web")->max_replicas, 5);
  server_.update(kPolicies, scaling_policy_json("web", 7));
  ASSERT_TRUE(eventually(
      [&] { return store_.contents().scaling_policies.at("demo/web")->max_replicas == 7; }));

  // The CRD is deleted (and its objects with it): the kind empties.
  server_.serve_group_version("/apis/autoscaling.portico.io/v1alpha1", false);
  server_.drop_watches();
  EXPECT_TRUE(eventually([&] { return store_.contents().scaling_policies.empty(); }));
  EXPECT_TRUE(synced());
}

}  // namespace
}  // namespace portico::controller::kube
