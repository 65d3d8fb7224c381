// The autoscaler end to end: the real binary against the fake API server, which plays the
// cluster (a Deployment with its scale subresource, its pods, their PodMetrics, the
// ScalingPolicy CRD) and records what portico writes. The test plays the Deployment
// controller where a step needs it (pods and endpoints following the replica count).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include <cpprest/json.h>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/integration/support/http_client.h"
#include "tests/integration/support/metrics_text.h"
#include "tests/integration/support/portico_fixture.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kToken[] = "autoscaler-token";
constexpr char kHost[] = "shop.example";
constexpr char kDeployments[] = "/apis/apps/v1/deployments";
constexpr char kPods[] = "/api/v1/pods";
constexpr char kPodMetrics[] = "/apis/metrics.k8s.io/v1beta1/pods";
constexpr char kPolicies[] = "/apis/autoscaling.portico.io/v1alpha1/scalingpolicies";
constexpr char kSlices[] = "/apis/discovery.k8s.io/v1/endpointslices";

std::string deployment_json(int replicas) {
  return R"({"metadata":{"name":"web","namespace":"demo"},"spec":{"replicas":)" +
         std::to_string(replicas) +
         R"(,"selector":{"matchLabels":{"app":"web"}}},"status":{"replicas":)" +
         std::to_string(replicas) + R"(,"readyReplicas":)" + std::to_string(replicas) + "}}";
}

// A running, ready pod of the Deployment, started an hour ago, requesting 500m of CPU.
std::string pod_json(const std::string& name, const std::string& ip) {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"demo","labels":{"app":"web"}},)"
         R"("spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"500m"}}}]},)"
         R"("status":{"phase":"Running","podIP":")" +
         ip +
         R"(","startTime":"2026-01-01T09:00:00Z","conditions":[{"type":"Ready",)"
         R"("status":"True","lastTransitionTime":"2026-01-01T09:00:10Z"}]}})";
}

std::string pod_metrics_json(const std::string& name, const std::string& cpu) {
  return R"({"metadata":{"name":")" + name +
         R"(","namespace":"demo","labels":{"app":"web"}},"timestamp":"2099-01-01T00:00:00Z",)"
         R"("window":"15s","containers":[{"name":"app","usage":{"cpu":")" +
         cpu + R"(","memory":"10Mi"}}]})";
}

std::string service_json() {
  return R"({"metadata":{"name":"web","namespace":"demo"},)"
         R"("spec":{"ports":[{"name":"http","port":80,"targetPort":"http"}]}})";
}

// The Service's one slice, with `backends` as its ready endpoints (none: no endpoints).
std::string slice_json(const std::vector<const Backend*>& backends, uint16_t port) {
  std::string endpoints;
  for (const Backend* backend : backends) {
    if (!endpoints.empty()) endpoints += ",";
    endpoints += R"({"addresses":[")" + backend->ip + R"("],"conditions":{"ready":true}})";
  }
  return R"({"metadata":{"name":"web-1","namespace":"demo",)"
         R"("labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4",)"
         R"("ports":[{"name":"http","port":)" +
         std::to_string(port) + R"(}],"endpoints":[)" + endpoints + "]}";
}

std::string ingress_json() {
  return R"({"metadata":{"name":"shop","namespace":"demo"},"spec":{"ingressClassName":)"
         R"("portico","rules":[{"host":"shop.example","http":{"paths":[{"path":"/",)"
         R"("pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}})";
}

std::string policy_json(const std::string& spec) {
  return R"({"apiVersion":"autoscaling.portico.io/v1alpha1","kind":"ScalingPolicy",)"
         R"("metadata":{"name":"web","namespace":"demo"},"spec":{"targetRef":{"kind":)"
         R"("Deployment","name":"web"},)" +
         spec + "}}";
}

// A TCP port free on `ip` now (bound, read, released), for two replicas' metrics listeners,
// which share one port number as pods of one Deployment do.
uint16_t free_port(const char* ip) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  ::inet_pton(AF_INET, ip, &address.sin_addr);
  socklen_t length = sizeof(address);
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

class AutoscalerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.serve_group_version("/apis/metrics.k8s.io/v1beta1", true);
    api_.serve_group_version("/apis/autoscaling.portico.io/v1alpha1", true);
    api_.start();
    dir_.write("kubeconfig", kubeconfig_yaml(api_.url(), kToken));
  }

  void start_portico() {
    portico_ = start_portico_with({"--kubeconfig", (dir_.path() / "kubeconfig").string(),
                                   "--workers", "1", "--autoscaler-sync-period", "1s"});
  }

  int spec_replicas() {
    const auto stored = api_.get(kDeployments, "demo", "web");
    if (!stored) return -1;
    const auto json = web::json::value::parse(*stored);
    return json.at("spec").at("replicas").as_integer();
  }

  // The policy's status field `field`, or null.
  web::json::value status_field(const std::string& field) {
    const auto stored = api_.get(kPolicies, "demo", "web");
    if (!stored) return web::json::value::null();
    const auto json = web::json::value::parse(*stored);
    if (!json.has_object_field("status") || !json.at("status").has_field(field)) {
      return web::json::value::null();
    }
    return json.at("status").at(field);
  }

  // Messages of the Events recorded on the policy with `reason`.
  std::vector<std::string> events(const std::string& reason) {
    std::vector<std::string> messages;
    for (const std::string& stored : api_.list("/api/v1/events")) {
      const auto json = web::json::value::parse(stored);
      if (json.at("involvedObject").at("kind").as_string() == "ScalingPolicy" &&
          json.at("reason").as_string() == reason) {
        messages.push_back(json.at("message").as_string());
      }
    }
    return messages;
  }

  // Deployment web at 1 replica behind Service web, whose one ready endpoint is `backend`,
  // routed from shop.example by an Ingress, and scaled by a policy with `spec`.
  void serve_site(const Backend& backend, const std::string& spec) {
    api_.create(kDeployments, deployment_json(1));
    api_.create("/api/v1/services", service_json());
    api_.create(kSlices, slice_json({&backend}, backend.port));
    api_.create("/apis/networking.k8s.io/v1/ingresses", ingress_json());
    api_.create(kPolicies, policy_json(spec));
  }

  std::size_t scale_writes() {
    std::size_t writes = 0;
    for (const auto& request : api_.requests()) {
      if (request.method == "PUT" &&
          request.target.find("/deployments/web/scale") != std::string::npos) {
        ++writes;
      }
    }
    return writes;
  }

  FakeApiServer api_{FakeApiServerOptions{kToken, "", "", "", 0}};
  TempDir dir_;
  Portico portico_;  // declared last: stopped before the API server
};

TEST_F(AutoscalerTest, HighCpuScalesTheDeploymentWithAnEventAndStatus) {
  api_.create(kDeployments, deployment_json(2));
  api_.create(kPods, pod_json("web-a", "10.1.0.1"));
  api_.create(kPods, pod_json("web-b", "10.1.0.2"));
  // 90 % of the request on each pod against a 70 % target: ceil(2 x 90 / 70) = 3.
  api_.create(kPodMetrics, pod_metrics_json("web-a", "450m"));
  api_.create(kPodMetrics, pod_metrics_json("web-b", "450m"));
  api_.create(kPolicies, policy_json(R"("minReplicas":1,"maxReplicas":10,)"
                                     R"("metrics":[{"cpu":{"targetUtilization":70}}])"));
  start_portico();

  ASSERT_TRUE(eventually([&] { return spec_replicas() == 3; }, 15s))
      << "replicas " << spec_replicas() << "\n"
      << portico_.process->output();
  ASSERT_TRUE(eventually([&] { return !events("SuccessfulRescale").empty(); }));
  const std::string message = events("SuccessfulRescale").front();
  EXPECT_NE(message.find("New size: 3"), std::string::npos) << message;
  EXPECT_NE(message.find("90"), std::string::npos) << "names the utilization: " << message;
  ASSERT_TRUE(eventually([&] {
    const auto current = status_field("currentReplicas");
    return current.is_integer() && current.as_integer() == 3;
  }));
  EXPECT_EQ(status_field("desiredReplicas").as_integer(), 3);
  EXPECT_TRUE(status_field("lastScaleTime").is_string());
  const auto metrics = status_field("currentMetrics");
  ASSERT_TRUE(metrics.is_array() && metrics.size() == 1) << metrics.serialize();
  EXPECT_EQ(metrics.at(0).at("value").as_string(), "90");
  EXPECT_EQ(metrics.at(0).at("target").as_string(), "70%");

  // Load back inside the tolerance band (3 pods would be at 60 %): no further writes.
  api_.update(kPodMetrics, pod_metrics_json("web-a", "300m"));
  api_.update(kPodMetrics, pod_metrics_json("web-b", "300m"));
  const std::size_t writes = scale_writes();
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(spec_replicas(), 3);
  EXPECT_EQ(scale_writes(), writes) << "nothing changed, so nothing is written";
}

TEST_F(AutoscalerTest, ADeploymentThatAnHpaScalesIsLeftAlone) {
  api_.serve_group_version("/apis/autoscaling/v2", true);
  api_.create(kDeployments, deployment_json(2));
  api_.create(kPods, pod_json("web-a", "10.1.0.1"));
  api_.create(kPodMetrics, pod_metrics_json("web-a", "450m"));
  api_.create("/apis/autoscaling/v2/horizontalpodautoscalers",
              R"({"metadata":{"name":"web-hpa","namespace":"demo"},"spec":{"scaleTargetRef":)"
              R"({"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":5}})");
  api_.create(kPolicies, policy_json(R"("maxReplicas":10,)"
                                     R"("metrics":[{"cpu":{"targetUtilization":70}}])"));
  start_portico();

  ASSERT_TRUE(eventually([&] { return status_field("conditions").is_array(); }, 15s))
      << portico_.process->output();
  const std::string conditions = status_field("conditions").serialize();
  EXPECT_NE(conditions.find("ConflictingHorizontalPodAutoscaler"), std::string::npos) << conditions;
  EXPECT_NE(conditions.find("web-hpa"), std::string::npos) << conditions;
  EXPECT_EQ(spec_replicas(), 2);
  EXPECT_EQ(scale_writes(), 0u);
}

TEST_F(AutoscalerTest, QueueDepthFromSlowRequestsScalesUpWithinAboutASecond) {
  Backend slow = start_backend("127.0.0.2", "slow");
  serve_site(slow, R"("minReplicas":1,"maxReplicas":10,)"
                   R"("metrics":[{"queueDepth":{"service":"web","targetPerReplica":2}}])");
  // A long sync period: only the queue-depth event can explain a prompt write.
  portico_ = start_portico_with({"--kubeconfig", (dir_.path() / "kubeconfig").string(), "--workers",
                                 "1", "--autoscaler-sync-period", "10m"});
  ASSERT_TRUE(eventually([&] { return status_field("currentReplicas").is_integer(); }, 15s))
      << "the first evaluation (at start) is done: " << portico_.process->output();
  ASSERT_EQ(spec_replicas(), 1);

  // 8 requests of 3 s each in flight at one replica with a target of 2: ceil(8 / 2) = 4.
  std::vector<std::jthread> clients;  // joined even if a check throws
  std::atomic<int> answered{0};
  const auto sent = std::chrono::steady_clock::now();
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      const auto response =
          http_request(portico_.http_port, "GET", "/delay/3000", kHost, {}, {}, 10s);
      if (response && response->status == 200) ++answered;
    });
  }
  const bool first = eventually([&] { return spec_replicas() > 1; }, 2500ms);
  const auto first_took = std::chrono::steady_clock::now() - sent;
  const bool scaled = eventually([&] { return spec_replicas() == 4; }, 2500ms);
  const auto took = std::chrono::steady_clock::now() - sent;
  for (std::jthread& client : clients) client.join();
  EXPECT_TRUE(first) << portico_.process->output();
  EXPECT_TRUE(scaled) << "replicas " << spec_replicas() << "\n" << portico_.process->output();
  EXPECT_EQ(answered.load(), 8);
  std::cout << "queue-depth step to first scale write: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(first_took).count()
            << " ms, to 4 replicas: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  ASSERT_TRUE(eventually([&] { return !events("SuccessfulRescale").empty(); }));
  EXPECT_NE(events("SuccessfulRescale").front().find("queue depth"), std::string::npos)
      << events("SuccessfulRescale").front();
}

TEST_F(AutoscalerTest, ScalesToZeroWhenIdleAndAColdRequestWaitsForTheFirstPod) {
  Backend web = start_backend("127.0.0.2", "web");
  serve_site(web, R"("minReplicas":0,"maxReplicas":3,)"
                  R"("metrics":[{"queueDepth":{"service":"web","targetPerReplica":5}}],)"
                  R"("scaleToZero":{"after":"2s","queueTimeout":"20s"})");
  start_portico();
  const auto response = http_request(portico_.http_port, "GET", "/", kHost, {}, {}, 5s);
  ASSERT_TRUE(response && response->status == 200) << portico_.process->output();

  // No request for 2 s: to zero. The test then plays the Deployment controller.
  ASSERT_TRUE(eventually([&] { return spec_replicas() == 0; }, 10s))
      << "replicas " << spec_replicas() << "\n"
      << portico_.process->output();
  api_.update(kDeployments, deployment_json(0));
  api_.update(kSlices, slice_json({}, web.port));
  ASSERT_TRUE(eventually([&] {
    return !sample_value(scrape_metrics(portico_.metrics_port), "portico_endpoint_healthy",
                         {{"service", "web"}});
  })) << "the proxy has seen the endpoint go";

  // A cold request is held, and its arrival scales to 1 at once.
  std::optional<HttpResponse> cold;
  std::chrono::steady_clock::time_point answered_at;
  std::jthread client([&] {
    cold = http_request(portico_.http_port, "GET", "/cold", kHost, {}, {}, 20s);
    answered_at = std::chrono::steady_clock::now();
  });
  const bool woke = eventually([&] { return spec_replicas() == 1; }, 3s);
  const double held = scraped_value(portico_.metrics_port, "portico_held_requests",
                                    {{"namespace", "demo"}, {"service", "web"}});
  // The pod becomes ready: its endpoint appears and the held request goes to it.
  api_.update(kDeployments, deployment_json(1));
  const auto ready_at = std::chrono::steady_clock::now();
  api_.update(kSlices, slice_json({&web}, web.port));
  client.join();
  // A figure for docs/SCALING.md, not a timed assertion: this machine is shared and noisy.
  std::cout << "endpoint ready to held request answered: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(answered_at - ready_at).count()
            << " ms\n";
  EXPECT_TRUE(woke) << "replicas " << spec_replicas() << "\n" << portico_.process->output();
  EXPECT_EQ(held, 1) << "the cold request waits at Portico";
  ASSERT_TRUE(cold) << portico_.process->output();
  EXPECT_EQ(cold->status, 200) << cold->body;
  EXPECT_EQ(json_field(cold->body, "backend"), "web");
  const std::vector<std::string> scaled = events("SuccessfulRescale");
  ASSERT_GE(scaled.size(), 2u);
  EXPECT_NE(scaled[0].find("New size: 0"), std::string::npos) << scaled[0];
  EXPECT_NE(scaled[1].find("New size: 1"), std::string::npos) << scaled[1];
}

TEST_F(AutoscalerTest, TheLeaderCountsRequestsWaitingAtItsPeers) {
  Backend slow = start_backend("127.0.0.2", "slow");
  serve_site(slow, R"("minReplicas":1,"maxReplicas":10,)"
                   R"("metrics":[{"queueDepth":{"service":"web","targetPerReplica":2}}])");
  // Portico's own Service: two replicas, each with its metrics on the same port.
  api_.create("/api/v1/services",
              R"({"metadata":{"name":"portico","namespace":"demo"},"spec":{"ports":[{"name":)"
              R"("http","port":80}]}})");
  api_.create(kSlices, R"({"metadata":{"name":"portico-1","namespace":"demo","labels":)"
                       R"({"kubernetes.io/service-name":"portico"}},"addressType":"IPv4",)"
                       R"("ports":[{"name":"http","port":8080}],"endpoints":[)"
                       R"({"addresses":["127.0.0.4"],"conditions":{"ready":true}},)"
                       R"({"addresses":["127.0.0.5"],"conditions":{"ready":true}}]})");
  const uint16_t metrics_port = free_port("127.0.0.4");
  const auto replica = [&](const char* ip) {
    ::setenv("POD_IP", ip, 1);  // inherited by the child, as the chart passes it
    Portico started = start_portico_with(
        {"--kubeconfig", (dir_.path() / "kubeconfig").string(), "--workers", "1",
         "--autoscaler-sync-period", "10m", "--peer-service", "demo/portico", "--metrics-address",
         ip, "--metrics-port", std::to_string(metrics_port)},
        false);
    ::unsetenv("POD_IP");
    return started;
  };
  portico_ = replica("127.0.0.4");  // takes the Lease: the leader
  ASSERT_TRUE(eventually([&] { return status_field("currentReplicas").is_integer(); }, 15s))
      << portico_.process->output();
  Portico follower = replica("127.0.0.5");
  ASSERT_TRUE(eventually([&] {
    const auto response = http_request(follower.http_port, "GET", "/", kHost, {}, {}, 2s);
    return response && response->status == 200;
  })) << follower.process->output();

  // 8 slow requests through the follower only: the leader must read them from its peer.
  std::vector<std::jthread> clients;  // joined even if a check throws
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back(
        [&] { http_request(follower.http_port, "GET", "/delay/6000", kHost, {}, {}, 15s); });
  }
  // The leader has nothing in flight itself: the scale-up comes from its peer's figures, and
  // reaches ceil(8 / 2) = 4 as it does when the requests are its own.
  const auto sent = std::chrono::steady_clock::now();
  const bool scaled = eventually([&] { return spec_replicas() == 4; }, 5500ms);
  std::cout << "requests at a peer to 4 replicas: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - sent)
                   .count()
            << " ms\n";
  for (std::jthread& client : clients) client.join();
  EXPECT_TRUE(scaled) << "replicas " << spec_replicas() << "\nleader:\n"
                      << portico_.process->output() << "\nfollower:\n"
                      << follower.process->output();
}

}  // namespace
}  // namespace portico::testing
