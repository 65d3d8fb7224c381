// The loop as a whole against the fake API server over HTTP: only the leader scales, and a
// queue-depth rise is acted on without waiting for the tick.
#include "autoscaler/loop/autoscaler.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include <cpprest/json.h>

#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/unit/autoscaler/sources/canned_http_server.h"
#include "tests/unit/controller/controller_test_support.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"

namespace portico::autoscaler {
namespace {

using namespace std::chrono_literals;
using portico::testing::eventually;
using portico::testing::FakeApiServer;

constexpr char kDeployments[] = "/apis/apps/v1/deployments";

// The loop's waits: a few evaluations and API round trips.
constexpr auto kPatience = 5s;

class AutoscalerLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.serve_group_version("/apis/autoscaling.portico.io/v1alpha1", true);
    api_.start();
    controller::kube::ClientConfig config;
    config.server = api_.url();
    auto client = controller::kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
    api_.create(kDeployments,
                R"({"metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":1,)"
                R"("selector":{"matchLabels":{"app":"web"}}},"status":{"replicas":1}})");
    const controller::StoreContents policies = controller::test_support::contents_from_yaml(
        "apiVersion: autoscaling.portico.io/v1alpha1\nkind: ScalingPolicy\nmetadata: {name: web, "
        "namespace: shop}\nspec:\n  targetRef: {kind: Deployment, name: web}\n  maxReplicas: 10\n"
        "  metrics:\n  - queueDepth: {service: web, targetPerReplica: 10}\n" +
        controller::test_support::slice_yaml("shop", "web-1", "web", "http", 8080,
                                             {"{addresses: [10.0.0.1]}"}));
    std::vector<controller::Object> objects;
    for (const auto& [key, policy] : policies.scaling_policies) objects.emplace_back(*policy);
    for (const auto& [key, slice] : policies.endpoint_slices) objects.emplace_back(*slice);
    store_.replace(std::move(objects));
    events_ = std::make_unique<controller::events::EventRecorder>(
        *client_, controller::events::EventRecorderConfig{{"portico", "test", "replica-1"}});
    // The loop's tick is far off: whatever it does in the test, a queue-depth rise caused.
    AutoscalerOptions options;
    options.sync_period = 1h;
    autoscaler_ =
        std::make_unique<Autoscaler>(AutoscalerDependencies{*client_, store_, registry_, *events_,
                                                            [this] { return leader_.load(); }},
                                     options);
  }
  void TearDown() override {
    autoscaler_->stop();
    client_->shutdown();
  }

  void put_web_at_zero() {
    api_.update(kDeployments,
                R"({"metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":0,)"
                R"("selector":{"matchLabels":{"app":"web"}}},"status":{"replicas":0}})");
  }
  // The policy as the API server has it, with an earlier leader's ScalingActive reason.
  void store_policy_status_with(const std::string& reason) {
    api_.create("/apis/autoscaling.portico.io/v1alpha1/scalingpolicies",
                R"({"metadata":{"name":"web","namespace":"shop"},"status":{"conditions":[)"
                R"({"type":"ScalingActive","status":"True","reason":")" +
                    reason + R"("}]}})");
  }
  bool scale_was_read() {
    for (const auto& request : api_.requests()) {
      if (request.target.ends_with("/deployments/web/scale")) return true;
    }
    return false;
  }

  int spec_replicas(const std::string& deployment = "web") {
    const auto json = web::json::value::parse(api_.get(kDeployments, "shop", deployment).value());
    return json.at("spec").at("replicas").as_integer();
  }

  FakeApiServer api_;
  std::unique_ptr<controller::kube::RestApiClient> client_;
  controller::ObjectStore store_{[] {}};
  proxy::EndpointStateRegistry registry_;
  std::unique_ptr<controller::events::EventRecorder> events_;
  std::atomic<bool> leader_{false};
  std::unique_ptr<Autoscaler> autoscaler_;
};

TEST_F(AutoscalerLoopTest, OnlyTheLeaderScalesAndARiseIsActedOnAtOnce) {
  const std::shared_ptr<proxy::BackendState> web = registry_.acquire_backend("shop/web");
  // 35 in flight at the one ready replica against 10 per replica: 4 replicas.
  web->requests = 35;
  autoscaler_->start();
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(spec_replicas(), 1) << "a follower writes nothing";
  EXPECT_TRUE(api_.requests().empty()) << "nor reads: " << api_.requests().front().target;

  leader_ = true;
  ASSERT_TRUE(eventually([&] { return spec_replicas() == 4; }, kPatience)) << spec_replicas();
  // The tick is an hour away: only the rise can explain a second write (to 5, as far as the
  // default scale-up rate allows within 15 s of the first).
  web->requests = 55;
  EXPECT_TRUE(eventually([&] { return spec_replicas() == 5; }, kPatience)) << spec_replicas();
}

TEST_F(AutoscalerLoopTest, AnEvaluationThatFailsOnTheApiIsRetriedWithoutWaitingForTheTick) {
  const std::shared_ptr<proxy::BackendState> web = registry_.acquire_backend("shop/web");
  leader_ = true;
  autoscaler_->start();
  // The first tick's evaluation, nothing to scale, ends with the status written.
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& request : api_.requests()) {
          if (request.target.ends_with("/scalingpolicies/web/status")) return true;
        }
        return false;
      },
      kPatience));
  // The rise's evaluation finds the API server failing. The signal rises past its level once:
  // only a retry scales now, with the tick an hour away.
  api_.fail_next(2, 503);
  web->requests = 35;
  EXPECT_TRUE(eventually([&] { return spec_replicas() == 4; }, kPatience)) << spec_replicas();
}

TEST_F(AutoscalerLoopTest, OfTwoPoliciesForOneDeploymentOnlyTheFirstScalesIt) {
  // web-2 asks for all 10 replicas; web, first by name at the same (unknown) age, for 4.
  const controller::StoreContents second = controller::test_support::contents_from_yaml(
      "apiVersion: autoscaling.portico.io/v1alpha1\nkind: ScalingPolicy\nmetadata: {name: web-2, "
      "namespace: shop}\nspec:\n  targetRef: {kind: Deployment, name: web}\n  maxReplicas: 10\n"
      "  metrics:\n  - queueDepth: {service: web, targetPerReplica: 1}\n");
  store_.upsert(*second.scaling_policies.at("shop/web-2"));
  const std::shared_ptr<proxy::BackendState> web = registry_.acquire_backend("shop/web");
  web->requests = 35;
  leader_ = true;
  autoscaler_->start();
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& request : api_.requests()) {
          if (request.target.ends_with("/scalingpolicies/web-2/status") &&
              request.body.find("ConflictingScalingPolicy") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      kPatience));
  ASSERT_TRUE(eventually([&] { return spec_replicas() == 4; }, kPatience)) << spec_replicas();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(spec_replicas(), 4) << "web-2 wrote its count too";
}

TEST_F(AutoscalerLoopTest, ANewLeaderLeavesADeploymentAtZeroWhereItIs) {
  // Scaled to zero by an earlier leader; this replica's proxy has routed 500 requests since it
  // started, the last long ago. Taking the Lease is neither a request nor a change in them.
  const controller::StoreContents at_zero = controller::test_support::contents_from_yaml(
      "apiVersion: autoscaling.portico.io/v1alpha1\nkind: ScalingPolicy\nmetadata: {name: web, "
      "namespace: shop}\nspec:\n  targetRef: {kind: Deployment, name: web}\n  minReplicas: 0\n"
      "  maxReplicas: 10\n  metrics:\n  - queueDepth: {service: web, targetPerReplica: 10}\n");
  store_.upsert(*at_zero.scaling_policies.at("shop/web"));
  put_web_at_zero();
  const std::shared_ptr<proxy::BackendState> web = registry_.acquire_backend("shop/web");
  web->arrivals = 500;
  leader_ = true;
  autoscaler_->start();
  // The first evaluation (the tick at start) and a few rounds after it.
  ASSERT_TRUE(eventually([&] { return scale_was_read(); }, kPatience));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(spec_replicas(), 0);
}

TEST_F(AutoscalerLoopTest, AZeroAnEarlierLeaderChoseEndsOnceThePolicyNoLongerAllowsIt) {
  // The fixture's policy has minReplicas 1; the Deployment is at 0. Whether that is a user's
  // pause (the HPA's rule: left alone) or the zero an earlier leader chose under minReplicas 0
  // is in the policy's status, which the store does not keep.
  put_web_at_zero();
  store_policy_status_with("ScaledToZero");
  leader_ = true;
  autoscaler_->start();
  EXPECT_TRUE(eventually([&] { return spec_replicas() == 1; }, kPatience)) << spec_replicas();
}

TEST_F(AutoscalerLoopTest, AZeroSomeoneElseChoseIsLeftAlone) {
  put_web_at_zero();
  store_policy_status_with("ValidMetricFound");
  leader_ = true;
  autoscaler_->start();
  ASSERT_TRUE(eventually([&] { return scale_was_read(); }, kPatience));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(spec_replicas(), 0);
}

TEST_F(AutoscalerLoopTest, APrometheusThatHangsHoldsUpNoOtherPolicy) {
  // "a-stuck" (evaluated first) reads a Prometheus that sends its status line and then nothing
  // until its 3 s timeout; "backlog" reads one answering 35 waiting jobs; "web" is the
  // fixture's queue-depth policy with 35 requests in flight. Every 200 ms a tick.
  test::CannedHttpServer stuck(
      std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{", "}"},
      test::CannedServerOptions{"127.0.0.1", false, 10s});
  test::CannedHttpServer answering(test::http_response(
      200, "application/json",
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},)"
      R"("value":[1700000000,"35"]}]}})"));
  for (const char* name : {"stuck", "worker"}) {
    api_.create(kDeployments,
                std::string(R"({"metadata":{"name":")") + name +
                    R"(","namespace":"shop"},"spec":{"replicas":1,)"
                    R"("selector":{"matchLabels":{"app":"x"}}},"status":{"replicas":1}})");
  }
  const auto prometheus_policy = [](const std::string& name, const std::string& deployment,
                                    uint16_t port) {
    return "---\napiVersion: autoscaling.portico.io/v1alpha1\nkind: ScalingPolicy\nmetadata: "
           "{name: " +
           name + ", namespace: shop}\nspec:\n  targetRef: {kind: Deployment, name: " + deployment +
           "}\n  maxReplicas: 10\n  metrics:\n  - prometheus: {url: \"http://127.0.0.1:" +
           std::to_string(port) + "\", query: jobs, targetPerReplica: 10}\n";
  };
  const controller::StoreContents added = controller::test_support::contents_from_yaml(
      prometheus_policy("a-stuck", "stuck", stuck.port()) +
      prometheus_policy("backlog", "worker", answering.port()));
  for (const auto& [key, policy] : added.scaling_policies) store_.upsert(*policy);
  AutoscalerOptions options;
  options.sync_period = 200ms;
  options.prometheus_timeout = 3s;
  autoscaler_ =
      std::make_unique<Autoscaler>(AutoscalerDependencies{*client_, store_, registry_, *events_,
                                                          [this] { return leader_.load(); }},
                                   options);
  const std::shared_ptr<proxy::BackendState> web = registry_.acquire_backend("shop/web");
  web->requests = 35;
  leader_ = true;
  const auto started = std::chrono::steady_clock::now();
  autoscaler_->start();
  // Evaluated behind a 3 s query, web would wait 3 s a tick; 2 s detects that, not a speed.
  EXPECT_TRUE(eventually([&] { return spec_replicas("web") == 4; }, 2s)) << spec_replicas();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_TRUE(eventually([&] { return spec_replicas("worker") == 4; }, kPatience))
      << "ceil(35 / 10): " << spec_replicas("worker");
  EXPECT_EQ(spec_replicas("stuck"), 1) << "no answer, no scale";
}

}  // namespace
}  // namespace portico::autoscaler
