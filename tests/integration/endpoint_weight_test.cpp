// Endpoint weights that come from pods, through the real binary to real echo backends: pods a
// and b behind Service demo/web, one slice whose endpoints name them in targetRef, an Ingress
// asking for weighted round robin (the pod annotation portico.io/weight) or resource-based
// balancing (each pod's spare CPU from metrics.k8s.io). The same objects (JSON, which is also
// YAML) are written as manifests in standalone mode and created through the fake API server
// in cluster mode. One worker, so one smooth weighted round robin makes every pick and the
// split over whole cycles is exact.
#include <gtest/gtest.h>

#include <map>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kToken[] = "weight-token";
constexpr char kHost[] = "shop.example";
constexpr char kPods[] = "/api/v1/pods";
constexpr char kPodMetrics[] = "/apis/metrics.k8s.io/v1beta1/pods";

std::string service_json() {
  return R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"demo"},)"
         R"("spec":{"ports":[{"name":"http","port":80,"targetPort":"http"}]}})";
}

// Every backend shares one port on its own loopback address; each endpoint names its pod.
std::string slice_json(const std::vector<std::pair<const Backend*, std::string>>& pods) {
  std::string endpoints;
  for (const auto& [backend, pod] : pods) {
    if (!endpoints.empty()) endpoints += ",";
    endpoints += R"({"addresses":[")" + backend->ip + R"("],"conditions":{"ready":true},)" +
                 R"("targetRef":{"kind":"Pod","namespace":"demo","name":")" + pod + R"("}})";
  }
  return R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",)"
         R"("metadata":{"name":"web-abc","namespace":"demo",)"
         R"("labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4",)"
         R"("ports":[{"name":"http","port":)" +
         std::to_string(pods.front().first->port) + R"(}],"endpoints":[)" + endpoints + "]}";
}

// Each pod's one container requests 500m of CPU.
std::string pod_json(const std::string& name, const Backend& backend, int weight) {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"(","namespace":"demo","annotations":{"portico.io/weight":")" + std::to_string(weight) +
         R"("}},"spec":{"containers":[{"name":"echo","image":"portico-echo",)" +
         R"("resources":{"requests":{"cpu":"500m"}}}]},)" +
         R"("status":{"phase":"Running","podIP":")" + backend.ip +
         R"(","conditions":[{"type":"Ready","status":"True"}]}})";
}

// What metrics-server reports for the pod's container.
std::string pod_metrics_json(const std::string& name, const std::string& cpu) {
  return R"({"apiVersion":"metrics.k8s.io/v1beta1","kind":"PodMetrics","metadata":{"name":")" +
         name + R"(","namespace":"demo"},"timestamp":"2026-11-22T10:00:00Z","window":"15s",)" +
         R"("containers":[{"name":"echo","usage":{"cpu":")" + cpu + R"(","memory":"20Mi"}}]})";
}

std::string ingress_json(const std::string& algorithm = "weighted-round-robin") {
  return R"({"apiVersion":"networking.k8s.io/v1","kind":"Ingress",)"
         R"("metadata":{"name":"shop","namespace":"demo",)"
         R"("annotations":{"portico.io/load-balance":")" +
         algorithm +
         R"("}},)"
         R"("spec":{"ingressClassName":"portico","rules":[{"host":"shop.example","http":)"
         R"({"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"web",)"
         R"("port":{"number":80}}}}]}}]}})";
}

class EndpointWeightTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = start_backend("127.0.0.2", "a");
    b_ = start_backend("127.0.0.3", "b", a_.port);
  }

  // Which backend answered each of `requests` GETs, each on a fresh connection.
  std::map<std::string, int> split(int requests) {
    std::map<std::string, int> answered;
    for (int i = 0; i < requests; ++i) {
      const auto response = http_request(portico_.http_port, "GET", "/", kHost, {}, {}, 3s);
      if (!response) {
        ++answered["no response"];
      } else if (response->status != 200) {
        ++answered["status " + std::to_string(response->status)];
      } else {
        ++answered[json_field(response->body, "backend")];
      }
    }
    return answered;
  }

  // True once `requests` GETs come back split exactly as `expected`.
  bool settles_on(const std::map<std::string, int>& expected, int requests) {
    return eventually([&] { return split(requests) == expected; }, 15s);
  }

  // Serves `objects` (resource path, JSON) through the fake API server and starts portico
  // against it with `extra` flags.
  void start_in_cluster(const std::vector<std::pair<std::string, std::string>>& objects,
                        const std::vector<std::string>& extra = {}) {
    api_.start();
    kubeconfig_.write("kubeconfig", kubeconfig_yaml(api_.url(), kToken));
    for (const auto& [resource, json] : objects) api_.create(resource, json);
    std::vector<std::string> args = {"--kubeconfig", (kubeconfig_.path() / "kubeconfig").string(),
                                     "--workers", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    portico_ = start_portico_with(args);
  }

  Backend a_;
  Backend b_;
  TempDir kubeconfig_;
  FakeApiServer api_{FakeApiServerOptions{kToken, "", "", "", 0}};  // cluster mode only
  Portico portico_;  // declared last: stopped before the backends and the API server
};

TEST_F(EndpointWeightTest, ManifestPodsWeighTheirEndpoints) {
  TempDir manifests;
  manifests.write("web.json", service_json());
  manifests.write("slice.json", slice_json({{&a_, "web-a"}, {&b_, "web-b"}}));
  manifests.write("pod-a.json", pod_json("web-a", a_, 3));
  manifests.write("pod-b.json", pod_json("web-b", b_, 1));
  manifests.write("ingress.json", ingress_json());
  portico_ = start_portico(manifests.path(), {"--workers", "1"});

  const std::map<std::string, int> served = split(400);
  EXPECT_EQ(served, (std::map<std::string, int>{{"a", 300}, {"b", 100}}))
      << portico_.process->output();

  // Weight 0 drains b: every new request goes to a.
  manifests.write("pod-b.json", pod_json("web-b", b_, 0));
  EXPECT_TRUE(settles_on({{"a", 20}}, 20)) << portico_.process->output();
}

TEST_F(EndpointWeightTest, AnnotationChangesThroughTheApiServerMoveTheSplit) {
  start_in_cluster(
      {{"/api/v1/services", service_json()},
       {"/apis/discovery.k8s.io/v1/endpointslices", slice_json({{&a_, "web-a"}, {&b_, "web-b"}})},
       {kPods, pod_json("web-a", a_, 3)},
       {kPods, pod_json("web-b", b_, 1)},
       {"/apis/networking.k8s.io/v1/ingresses", ingress_json()}});
  EXPECT_EQ(split(400), (std::map<std::string, int>{{"a", 300}, {"b", 100}}))
      << portico_.process->output();

  // Only the pods change (no slice, Service or Ingress event): the split follows.
  api_.update(kPods, pod_json("web-a", a_, 1));
  api_.update(kPods, pod_json("web-b", b_, 4));
  ASSERT_TRUE(settles_on({{"a", 4}, {"b", 16}}, 20)) << portico_.process->output();
  EXPECT_EQ(split(400), (std::map<std::string, int>{{"a", 80}, {"b", 320}}))
      << portico_.process->output();
}

TEST_F(EndpointWeightTest, ResourceBasedFollowsEachPodsSpareCpu) {
  api_.serve_group_version("/apis/metrics.k8s.io/v1beta1", true);
  // a idle earns 100; b at 200m of 500m (40 %, half-way to an 80 % ceiling) earns 50.
  start_in_cluster(
      {{"/api/v1/services", service_json()},
       {"/apis/discovery.k8s.io/v1/endpointslices", slice_json({{&a_, "web-a"}, {&b_, "web-b"}})},
       {kPods, pod_json("web-a", a_, 1)},
       {kPods, pod_json("web-b", b_, 1)},
       {kPodMetrics, pod_metrics_json("web-a", "0")},
       {kPodMetrics, pod_metrics_json("web-b", "200m")},
       {"/apis/networking.k8s.io/v1/ingresses", ingress_json("resource-based")}},
      {"--cpu-ceiling", "80", "--resource-metrics-interval", "200ms"});
  ASSERT_TRUE(settles_on({{"a", 20}, {"b", 10}}, 30)) << portico_.process->output();
  EXPECT_EQ(split(300), (std::map<std::string, int>{{"a", 200}, {"b", 100}}))
      << portico_.process->output();

  // a crosses the ceiling (450m of 500m is 90 %): it gets nothing new while b has room.
  api_.update(kPodMetrics, pod_metrics_json("web-a", "450m"));
  api_.update(kPodMetrics, pod_metrics_json("web-b", "100m"));
  EXPECT_TRUE(settles_on({{"b", 20}}, 20)) << portico_.process->output();

  // metrics.k8s.io goes away: back to the static weights, an even split.
  api_.serve_group_version("/apis/metrics.k8s.io/v1beta1", false);
  EXPECT_TRUE(settles_on({{"a", 10}, {"b", 10}}, 20)) << portico_.process->output();
}

}  // namespace
}  // namespace portico::testing
