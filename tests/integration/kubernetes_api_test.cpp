// Portico as an ingress controller: the real binary with --kubeconfig against the fake API
// server (real HTTP, bearer token), with real echo backends. Objects are created, changed
// and deleted through the API server; traffic must follow, survive an API outage, and
// converge after the outage even when the history was compacted (410 Gone).
#include <gtest/gtest.h>

#include <csignal>

#include <set>

#include <cpprest/json.h>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kToken[] = "integration-token";
constexpr char kServices[] = "/api/v1/services";
constexpr char kSlices[] = "/apis/discovery.k8s.io/v1/endpointslices";
constexpr char kIngresses[] = "/apis/networking.k8s.io/v1/ingresses";

std::string service_json(const std::string& name) {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"demo"},"spec":{"ports":[{"name":"http","port":80,"targetPort":"http"}]}})";
}

// One slice listing `backends` (which share one port, on different loopback addresses).
std::string slice_json(const std::string& service, const std::vector<const Backend*>& backends) {
  std::string endpoints;
  for (const Backend* backend : backends) {
    if (!endpoints.empty()) endpoints += ",";
    endpoints += R"({"addresses":[")" + backend->ip + R"("],"conditions":{"ready":true}})";
  }
  const uint16_t port = backends.empty() ? 1 : backends.front()->port;
  return R"({"metadata":{"name":")" + service + R"(-abc","namespace":"demo","labels":)" +
         R"({"kubernetes.io/service-name":")" + service +
         R"("}},"addressType":"IPv4","ports":[{"name":"http","port":)" + std::to_string(port) +
         R"(}],"endpoints":[)" + endpoints + "]}";
}

std::string ingress_json(const std::string& name, const std::string& host,
                         const std::vector<std::pair<std::string, std::string>>& paths) {
  std::string rules;
  for (const auto& [path, service] : paths) {
    if (!rules.empty()) rules += ",";
    rules += R"({"path":")" + path + R"(","pathType":"Prefix","backend":{"service":{"name":")" +
             service + R"(","port":{"number":80}}}})";
  }
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"demo"},"spec":{"ingressClassName":"portico","rules":[{"host":")" + host +
         R"(","http":{"paths":[)" + rules + "]}}]}}";
}

class KubernetesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.start();
    dir_.write("kubeconfig", kubeconfig_yaml(api_.url(), kToken, "demo"));
    web1_ = start_backend("127.0.0.2", "web1");
    web2_ = start_backend("127.0.0.3", "web2", web1_.port);
  }

  Portico start(bool wait_ready = true, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--kubeconfig", (dir_.path() / "kubeconfig").string(),
                                     "--workers", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return start_portico_with(args, wait_ready);
  }

  // The backend that answered a GET for `host` + `path`, or "" / the status when not 200.
  std::string backend_for(const Portico& portico, const std::string& host,
                          const std::string& path = "/") {
    auto response = http_request(portico.http_port, "GET", path, host, {}, {}, 3s);
    if (!response) return "(no response)";
    if (response->status != 200) return std::to_string(response->status);
    return json_field(response->body, "backend");
  }

  std::set<std::string> backends_seen(const Portico& portico, int requests) {
    std::set<std::string> seen;
    for (int i = 0; i < requests; ++i) seen.insert(backend_for(portico, "shop.example"));
    return seen;
  }

  std::optional<HttpResponse> readyz(const Portico& portico) {
    return http_request(portico.metrics_port, "GET", "/readyz", "localhost", {}, {}, 3s);
  }

  void create_shop(const std::vector<const Backend*>& backends) {
    api_.create(kServices, service_json("web"));
    api_.create(kSlices, slice_json("web", backends));
    api_.create(kIngresses, ingress_json("shop", "shop.example", {{"/", "web"}}));
  }

  FakeApiServer api_{FakeApiServerOptions{kToken, "", "", "", 0}};
  TempDir dir_;
  Backend web1_;
  Backend web2_;
};

TEST_F(KubernetesApiTest, TrafficFollowsTheApiServerThroughAnOutageAndA410) {
  create_shop({&web1_});
  const Portico portico = start();
  ASSERT_TRUE(eventually([&] { return backend_for(portico, "shop.example") == "web1"; }))
      << portico.process->output();

  // Scale up: the new endpoint takes traffic.
  api_.update(kSlices, slice_json("web", {&web1_, &web2_}));
  ASSERT_TRUE(eventually([&] { return backends_seen(portico, 4).size() == 2; }))
      << portico.process->output();

  // The API server goes away: traffic keeps flowing on the last good routes, and /readyz
  // stays 200 (pulling every replica out of the load balancer would be the outage) while
  // saying what is wrong.
  api_.stop();
  for (int i = 0; i < 20; ++i) {
    const std::string backend = backend_for(portico, "shop.example");
    EXPECT_TRUE(backend == "web1" || backend == "web2") << backend;
  }
  ASSERT_TRUE(eventually([&] {
    auto response = readyz(portico);
    return response && response->status == 200 &&
           response->body.find("unreachable") != std::string::npos;
  })) << portico.process->output();

  // Meanwhile web1 is scaled away and the history compacted: only a relist can tell.
  const uint16_t port = api_.port();
  api_.update(kSlices, slice_json("web", {&web2_}));
  api_.compact();
  api_.start(port);
  ASSERT_TRUE(
      eventually([&] { return backends_seen(portico, 6) == std::set<std::string>{"web2"}; }, 20s))
      << portico.process->output();
  EXPECT_TRUE(eventually([&] {
    auto response = readyz(portico);
    return response && response->body.find("in sync") != std::string::npos;
  })) << portico.process->output();

  // Every request carried the token.
  for (const RecordedRequest& request : api_.requests()) {
    EXPECT_EQ(request.authorization, std::string("Bearer ") + kToken) << request.target;
  }
}

std::size_t snapshots_published(const Portico& portico) {
  const std::string output = portico.process->output();
  std::size_t count = 0;
  for (auto at = output.find("routes published"); at != std::string::npos;
       at = output.find("routes published", at + 1)) {
    ++count;
  }
  return count;
}

TEST_F(KubernetesApiTest, ARolloutsBurstOfEndpointChangesBecomesAHandfulOfSnapshots) {
  create_shop({&web1_});
  const Portico portico = start();
  ASSERT_TRUE(eventually([&] { return backend_for(portico, "shop.example") == "web1"; }));
  const std::size_t before = snapshots_published(portico);

  // 100 pod changes in a row, as a rolling update makes them, ending on web2 alone.
  for (int i = 0; i < 99; ++i) {
    api_.update(kSlices, slice_json("web", i % 2 == 0 ? std::vector<const Backend*>{&web1_, &web2_}
                                                      : std::vector<const Backend*>{&web1_}));
  }
  api_.update(kSlices, slice_json("web", {&web2_}));
  ASSERT_TRUE(eventually([&] {
    return backends_seen(portico, 4) == std::set<std::string>{"web2"};
  })) << portico.process->output();
  const std::size_t published = snapshots_published(portico) - before;
  EXPECT_GE(published, 1u);
  EXPECT_LE(published, 10u) << portico.process->output();
}

TEST_F(KubernetesApiTest, NotReadyUntilTheFirstFullSync) {
  create_shop({&web1_});
  const uint16_t port = api_.port();
  api_.stop();
  const Portico portico = start(/*wait_ready=*/false);
  // It tried, failed, and is backing off.
  ASSERT_TRUE(portico.process->wait_for_line("API request failed", 10s))
      << portico.process->output();
  ASSERT_TRUE(eventually([&] {
    auto response = readyz(portico);
    return response && response->status == 503 &&
           response->body.find("waiting for the first list") != std::string::npos;
  })) << portico.process->output();
  api_.start(port);
  EXPECT_TRUE(eventually(
      [&] {
        auto response = readyz(portico);
        return response && response->status == 200;
      },
      20s))
      << portico.process->output();
  EXPECT_EQ(backend_for(portico, "shop.example"), "web1");
}

TEST_F(KubernetesApiTest, IngressChangesAndDeletionsApplyLive) {
  create_shop({&web1_});
  api_.create(kServices, service_json("api"));
  api_.create(kSlices, slice_json("api", {&web2_}));
  const Portico portico = start();
  ASSERT_TRUE(eventually([&] { return backend_for(portico, "shop.example") == "web1"; }));

  api_.update(kIngresses, ingress_json("shop", "shop.example", {{"/", "web"}, {"/api", "api"}}));
  ASSERT_TRUE(eventually([&] { return backend_for(portico, "shop.example", "/api/x") == "web2"; }));
  EXPECT_EQ(backend_for(portico, "shop.example", "/other"), "web1");

  api_.remove(kIngresses, "demo", "shop");
  EXPECT_TRUE(eventually([&] { return backend_for(portico, "shop.example") == "404"; }));
}

TEST_F(KubernetesApiTest, ABrokenRuleIsAnEventOnItsIngressAndTheRestKeepsWorking) {
  create_shop({&web1_});
  api_.create(kIngresses,
              ingress_json("mixed", "mixed.example", {{"/ok", "web"}, {"/gone", "ghost"}}));
  const Portico portico = start(true, {"--publish-address", "203.0.113.7"});
  ASSERT_TRUE(eventually([&] { return backend_for(portico, "mixed.example", "/ok") == "web1"; }));
  EXPECT_EQ(backend_for(portico, "mixed.example", "/gone"), "503");

  auto event_about_ghost = [&] {
    for (const std::string& event : api_.list("/api/v1/events")) {
      const auto json = web::json::value::parse(event);
      if (json.at("involvedObject").at("name").as_string() == "mixed" &&
          json.at("involvedObject").at("kind").as_string() == "Ingress" &&
          json.at("type").as_string() == "Warning" &&
          json.at("message").as_string().find("demo/ghost") != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(eventually(event_about_ghost, 20s)) << portico.process->output();
}

TEST_F(KubernetesApiTest, TheLeaderWritesIngressStatus) {
  create_shop({&web1_});
  const Portico portico = start(
      true, {"--publish-address", "203.0.113.7,edge.example.com", "--election-id", "portico-test"});
  auto status_written = [&] {
    const auto ingress = api_.get(kIngresses, "demo", "shop");
    if (!ingress) return false;
    const auto json = web::json::value::parse(*ingress);
    if (!json.has_field("status")) return false;
    const auto& status = json.at("status");
    if (!status.has_field("loadBalancer") || !status.at("loadBalancer").has_field("ingress")) {
      return false;
    }
    const auto& entries = status.at("loadBalancer").at("ingress").as_array();
    std::set<std::string> seen;
    for (const auto& entry : entries) {
      if (entry.has_field("ip")) seen.insert(entry.at("ip").as_string());
      if (entry.has_field("hostname")) seen.insert(entry.at("hostname").as_string());
    }
    return seen == std::set<std::string>{"203.0.113.7", "edge.example.com"};
  };
  ASSERT_TRUE(eventually(status_written, 20s)) << portico.process->output();
  // The Lease names this replica as the holder.
  const auto lease = api_.get("/apis/coordination.k8s.io/v1/leases", "demo", "portico-test");
  ASSERT_TRUE(lease);
  EXPECT_NE(lease->find("holderIdentity"), std::string::npos) << *lease;
}

TEST_F(KubernetesApiTest, SigtermWithAPartitionedApiServerStillExitsPromptly) {
  create_shop({&web1_});
  Portico portico = start(true, {"--election-id", "portico-partition"});
  ASSERT_TRUE(eventually([&] {
    return api_.get("/apis/coordination.k8s.io/v1/leases", "demo", "portico-partition").has_value();
  })) << portico.process->output();
  // The API server stops answering (its connections stay open): handing the Lease back
  // cannot complete, and must not hold the shutdown for the client's 60 s idle timeout.
  api_.hang_requests(true);
  const auto sent = std::chrono::steady_clock::now();
  portico.process->signal(SIGTERM);
  const auto status = portico.process->wait_exit(8s);
  ASSERT_TRUE(status) << "still running 8 s after SIGTERM\n" << portico.process->output();
  EXPECT_EQ(*status, 0);
  std::cout << "SIGTERM to exit with the API server partitioned: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - sent)
                   .count()
            << " ms\n";
}

}  // namespace
}  // namespace portico::testing
