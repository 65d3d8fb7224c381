// The scale subresource through the real client against the fake API server: reads, writes
// only on change, 409 handled by a bounded re-read, and nothing else of the Deployment touched.
#include "autoscaler/scale/scale_client.h"

#include <optional>

#include <gtest/gtest.h>

#include "autoscaler/scale/api_scale_client.h"
#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"

namespace portico::autoscaler {
namespace {

using portico::testing::FakeApiServer;

constexpr char kDeployments[] = "/apis/apps/v1/deployments";

std::string deployment_json(int replicas, const std::string& image = "web:1") {
  return R"({"metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":)" +
         std::to_string(replicas) +
         R"(,"selector":{"matchLabels":{"app":"web"}},"template":{"spec":{"containers":[{"name":"web","image":")" +
         image + R"("}]}}},"status":{"replicas":)" + std::to_string(replicas) + "}}";
}

class ScaleClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    controller::kube::ClientConfig config;
    config.server = server_.url();
    auto client = controller::kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    api_ = std::move(client.value());
    scale_ = std::make_unique<ApiScaleClient>(*api_);
  }
  void TearDown() override { api_->shutdown(); }

  int writes() const {
    int count = 0;
    for (const auto& request : server_.requests()) count += request.method == "PUT" ? 1 : 0;
    return count;
  }

  FakeApiServer server_;
  std::unique_ptr<controller::kube::RestApiClient> api_;
  std::unique_ptr<ApiScaleClient> scale_;
  const ScaleTarget target_{"shop", "web"};
};

TEST_F(ScaleClientTest, ReadsTheScaleOfADeployment) {
  server_.create(kDeployments, deployment_json(3));
  Result<Scale> scale = scale_->read(target_);
  ASSERT_TRUE(scale.ok()) << scale.error();
  EXPECT_EQ(scale.value().spec_replicas, 3);
  EXPECT_EQ(scale.value().status_replicas, 3);
  EXPECT_EQ(scale.value().selector, "app=web");
  EXPECT_FALSE(scale.value().resource_version.empty());
  EXPECT_FALSE(scale_->read({"shop", "missing"}).ok());
}

TEST_F(ScaleClientTest, WritesOnlyTheReplicaCountAndOnlyWhenItChanges) {
  server_.create(kDeployments, deployment_json(2, "web:7"));
  Result<ScaleOutcome> same = scale_to(*scale_, target_, 2, 2);
  ASSERT_TRUE(same.ok()) << same.error();
  EXPECT_FALSE(same.value().written);
  EXPECT_EQ(writes(), 0);

  Result<ScaleOutcome> up = scale_to(*scale_, target_, 2, 5);
  ASSERT_TRUE(up.ok()) << up.error();
  EXPECT_TRUE(up.value().written);
  EXPECT_EQ(up.value().previous, 2);
  EXPECT_EQ(writes(), 1);
  const std::string stored = server_.get(kDeployments, "shop", "web").value();
  EXPECT_NE(stored.find(R"("replicas":5)"), std::string::npos) << stored;
  EXPECT_NE(stored.find("web:7"), std::string::npos) << "the template is untouched: " << stored;
}

// Changes the Deployment behind the autoscaler's back before each of its first `conflicts`
// writes, as another writer racing it would: its template, or with `sets_replicas` its count
// (kubectl scale).
class RacingScaleClient final : public ScaleClient {
 public:
  RacingScaleClient(ScaleClient& inner, FakeApiServer& server, int conflicts,
                    std::optional<int32_t> sets_replicas = std::nullopt)
      : inner_(inner), server_(server), conflicts_(conflicts), sets_replicas_(sets_replicas) {}
  Result<Scale> read(const ScaleTarget& target) override { return inner_.read(target); }
  Result<WriteResult> write(const ScaleTarget& target, const Scale& seen,
                            int32_t replicas) override {
    if (conflicts_-- > 0) {
      server_.update(kDeployments,
                     deployment_json(sets_replicas_.value_or(seen.spec_replicas), "web:race"));
    }
    return inner_.write(target, seen, replicas);
  }

 private:
  ScaleClient& inner_;
  FakeApiServer& server_;
  int conflicts_;
  std::optional<int32_t> sets_replicas_;
};

TEST_F(ScaleClientTest, AConflictIsReReadAndRetried) {
  server_.create(kDeployments, deployment_json(2));
  RacingScaleClient racing(*scale_, server_, 1);
  Result<ScaleOutcome> outcome = scale_to(racing, target_, 2, 4);
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  EXPECT_TRUE(outcome.value().written);
  EXPECT_EQ(writes(), 2) << "one refused with 409, one accepted";
  EXPECT_EQ(scale_->read(target_).value().spec_replicas, 4);
}

TEST_F(ScaleClientTest, RetriesAreBounded) {
  server_.create(kDeployments, deployment_json(2));
  RacingScaleClient racing(*scale_, server_, 100);
  Result<ScaleOutcome> outcome = scale_to(racing, target_, 2, 4, /*attempts=*/3);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().find("conflicting"), std::string::npos) << outcome.error();
  EXPECT_EQ(writes(), 3);
}

TEST_F(ScaleClientTest, ACountChangedByAnotherWriterIsNotOverwritten) {
  // Decided from 10 to 5; meanwhile someone ran `kubectl scale --replicas=20`.
  server_.create(kDeployments, deployment_json(20));
  Result<ScaleOutcome> outcome = scale_to(*scale_, target_, 10, 5);
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  EXPECT_TRUE(outcome.value().superseded);
  EXPECT_FALSE(outcome.value().written);
  EXPECT_EQ(outcome.value().previous, 20);
  EXPECT_EQ(writes(), 0);

  // The same after a conflict: the re-read shows another count, and the retry is not made.
  server_.update(kDeployments, deployment_json(10));
  RacingScaleClient racing(*scale_, server_, 1, 20);
  Result<ScaleOutcome> raced = scale_to(racing, target_, 10, 5);
  ASSERT_TRUE(raced.ok()) << raced.error();
  EXPECT_TRUE(raced.value().superseded);
  EXPECT_EQ(writes(), 1) << "the one refused with 409";
  EXPECT_EQ(scale_->read(target_).value().spec_replicas, 20);
}

TEST(ScaleFormatTest, RefusesCountsThatAreNotReplicaCounts) {
  EXPECT_FALSE(parse_scale(R"({"spec":{"replicas":-1}})").ok());
  EXPECT_FALSE(parse_scale(R"({"spec":{"replicas":1.5}})").ok());
  EXPECT_FALSE(parse_scale(R"({"spec":{"replicas":99999999999}})").ok());
  EXPECT_FALSE(parse_scale("[]").ok());
  EXPECT_EQ(parse_scale(R"({"spec":{}})").value().spec_replicas, 0);
}

}  // namespace
}  // namespace portico::autoscaler
