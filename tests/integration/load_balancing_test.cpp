// Balancing policies chosen by annotation reach the workers: the real binary, real backends.
// One Service with three echo backends (three slices, one per backend), one Ingress whose
// annotations the test sets.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <set>

#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

class LoadBalancingTest : public ::testing::Test {
 protected:
  void start(const std::string& annotations) {
    a_ = start_backend("127.0.0.2", "a");
    b_ = start_backend("127.0.0.3", "b");
    c_ = start_backend("127.0.0.4", "c");
    manifests_.write("service.yaml", service_yaml("demo", "web", {&a_, &b_, &c_}));
    manifests_.write(
        "ingress.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n"
        "  namespace: demo\n  annotations:\n" +
            annotations +
            "spec:\n  ingressClassName: portico\n  rules:\n  - host: shop.example\n    http:\n"
            "      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n"
            "          service:\n            name: web\n            port:\n              number: "
            "80\n");
    portico_ = start_portico(manifests_.path(), {"--workers", "2"});
  }

  std::string served_by(const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    const auto response = http_request(portico_.http_port, "GET", path, "shop.example", headers);
    if (!response) return "no response";
    if (response->status != 200) return "status " + std::to_string(response->status);
    return json_field(response->body, "backend");
  }

  TempDir manifests_;
  Backend a_, b_, c_;
  Portico portico_;
};

TEST_F(LoadBalancingTest, ConsistentHashOnAHeaderKeepsEachUserOnOneBackend) {
  start("    portico.io/load-balance: consistent-hash\n    portico.io/hash-by: header:X-User\n");
  std::set<std::string> used;
  for (int user = 0; user < 12; ++user) {
    const std::string id = "user-" + std::to_string(user);
    const std::string first = served_by("/", {{"X-User", id}});
    ASSERT_TRUE(first == "a" || first == "b" || first == "c") << first;
    used.insert(first);
    // Fresh connections, both workers: always the same backend for the same user.
    for (int again = 0; again < 4; ++again) {
      EXPECT_EQ(served_by("/", {{"X-User", id}}), first) << id;
    }
  }
  // Twelve users do not all land on one backend.
  EXPECT_GE(used.size(), 2u);
}

TEST_F(LoadBalancingTest, NginxUpstreamHashByOnTheUriIsHonoured) {
  start("    nginx.ingress.kubernetes.io/upstream-hash-by: \"$request_uri\"\n");
  std::map<std::string, std::string> first_backend;
  for (int path = 0; path < 10; ++path) {
    const std::string target = "/item/" + std::to_string(path);
    first_backend[target] = served_by(target);
  }
  for (const auto& [target, backend] : first_backend) {
    for (int again = 0; again < 3; ++again) EXPECT_EQ(served_by(target), backend) << target;
  }
}

TEST_F(LoadBalancingTest, LeastConnectionsAvoidsTheBackendBusyWithASlowRequest) {
  start("    portico.io/load-balance: least-connections\n");
  // One slow request occupies one backend for a while...
  auto slow = std::async(std::launch::async, [&] { return served_by("/delay/1500"); });
  std::this_thread::sleep_for(300ms);
  // ...so quick requests, one after the other, go to the two idle ones only. Round robin
  // would send a third of them to the busy backend.
  std::map<std::string, int> quick;
  for (int i = 0; i < 12; ++i) ++quick[served_by("/")];
  const std::string busy = slow.get();
  ASSERT_TRUE(busy == "a" || busy == "b" || busy == "c") << busy;
  EXPECT_EQ(quick.count(busy), 0u) << "busy backend " << busy << " still got quick requests";
  // Both idle ones share the quick requests.
  EXPECT_EQ(quick.size(), 2u);
}

TEST_F(LoadBalancingTest, AnInvalidAnnotationFallsBackToTheDefaultAndKeepsServing) {
  start("    portico.io/load-balance: fastest-please\n");
  std::set<std::string> seen;
  for (int i = 0; i < 9; ++i) seen.insert(served_by("/"));
  // Round robin, the default: every backend, no errors.
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b", "c"}));
  EXPECT_NE(portico_.process->output().find("fastest-please"), std::string::npos)
      << portico_.process->output();
}

}  // namespace
}  // namespace portico::testing
