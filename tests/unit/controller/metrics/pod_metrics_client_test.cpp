// PodMetrics read through the real client from the fake API server over HTTP, and the
// format's edge cases.
#include "controller/metrics/pod_metrics_client.h"

#include <gtest/gtest.h>

#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"

namespace portico::controller::metrics {
namespace {

using portico::testing::FakeApiServer;

constexpr char kPodMetrics[] = "/apis/metrics.k8s.io/v1beta1/pods";

std::string pod_metrics_json(const std::string& ns, const std::string& name,
                             const std::string& first_cpu, const std::string& second_cpu) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns +
         R"("},"timestamp":"2026-11-22T10:00:00Z","window":"15s","containers":[)" +
         R"({"name":"app","usage":{"cpu":")" + first_cpu + R"(","memory":"10Mi"}},)" +
         R"({"name":"sidecar","usage":{"cpu":")" + second_cpu + R"(","memory":"1Mi"}}]})";
}

class PodMetricsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.serve_group_version("/apis/metrics.k8s.io/v1beta1", true);
    server_.start();
    kube::ClientConfig config;
    config.server = server_.url();
    auto client = kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
  }
  void TearDown() override { client_->shutdown(); }

  FakeApiServer server_;
  std::unique_ptr<kube::RestApiClient> client_;
};

TEST_F(PodMetricsClientTest, SumsEveryContainersCpuPerPodInMillicores) {
  server_.create(kPodMetrics, pod_metrics_json("shop", "web-1", "250m", "43629237n"));
  server_.create(kPodMetrics, pod_metrics_json("shop", "web-2", "1.5", "0"));
  Result<std::vector<PodUsage>> usage = list_pod_usage(*client_, {"shop", ""});
  ASSERT_TRUE(usage.ok()) << usage.error();
  ASSERT_EQ(usage.value().size(), 2u);
  const PodUsage& first = usage.value()[0].name == "web-1" ? usage.value()[0] : usage.value()[1];
  const PodUsage& second = &first == &usage.value()[0] ? usage.value()[1] : usage.value()[0];
  EXPECT_EQ(first.key(), "shop/web-1");
  EXPECT_EQ(first.cpu_milli, 250 + 44);  // MilliValue rounds 43.6m up
  EXPECT_EQ(second.cpu_milli, 1500);
}

TEST_F(PodMetricsClientTest, AsksForOneNamespaceAndEncodesTheSelector) {
  Result<std::vector<PodUsage>> usage = list_pod_usage(*client_, {"shop", "app=web,tier in (a,b)"});
  ASSERT_TRUE(usage.ok()) << usage.error();
  const auto requests = server_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().target,
            "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods"
            "?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29");
}

TEST_F(PodMetricsClientTest, ANotServedMetricsApiSaysWhatIsMissing) {
  server_.fail_next(1, 404);
  Result<std::vector<PodUsage>> usage = list_pod_usage(*client_, {});
  ASSERT_FALSE(usage.ok());
  EXPECT_NE(usage.error().find("metrics-server"), std::string::npos) << usage.error();
}

TEST(PodMetricsListTest, APodWhoseUsageDoesNotParseIsLeftOutAndTheOthersKept) {
  const std::string body = R"({"kind":"PodMetricsList","metadata":{},"items":[)" +
                           pod_metrics_json("a", "good", "100m", "1m") + "," +
                           pod_metrics_json("a", "bad", "lots", "1m") + "," +
                           R"({"metadata":{"name":"no-containers","namespace":"a"}}]})";
  Result<std::vector<PodUsage>> usage = parse_pod_metrics_list(body);
  ASSERT_TRUE(usage.ok()) << usage.error();
  ASSERT_EQ(usage.value().size(), 1u);
  EXPECT_EQ(usage.value()[0].name, "good");
  EXPECT_EQ(usage.value()[0].cpu_milli, 101);
}

TEST(PodMetricsListTest, ABodyThatIsNotAListIsAnError) {
  EXPECT_FALSE(parse_pod_metrics_list("not json").ok());
  EXPECT_FALSE(parse_pod_metrics_list(R"({"items":"nope"})").ok());
}

}  // namespace
}  // namespace portico::controller::metrics
