// EventRecorder against the fake API server over real HTTP.
#include "controller/events/event_recorder.h"

#include <gtest/gtest.h>

#include <thread>

#include <cpprest/json.h>

#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"

namespace portico::controller::events {
namespace {

using namespace std::chrono_literals;
using portico::testing::eventually;
using portico::testing::FakeApiServer;
using portico::testing::parse_json;
using web::json::value;

constexpr char kEvents[] = "/api/v1/events";

const InvolvedObject kWeb{"Ingress", "networking.k8s.io/v1", "shop", "web", "uid-web"};

class EventRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    kube::ClientConfig config;
    config.server = server_.url();
    auto client = kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
    config_.source.reporting_instance = "portico-0_test";
    config_.retry_sleep = 20ms;
  }
  void TearDown() override {
    if (recorder_) recorder_->stop();
    client_->shutdown();
  }

  EventRecorder& recorder() {
    if (!recorder_) recorder_ = std::make_unique<EventRecorder>(*client_, config_);
    return *recorder_;
  }

  std::vector<value> events() const {
    std::vector<value> found;
    for (const std::string& json : server_.list(kEvents)) found.push_back(parse_json(json));
    return found;
  }

  std::optional<value> event_with(const std::string& message) const {
    for (value& event : events()) {
      if (event.at("message").as_string() == message) return event;
    }
    return std::nullopt;
  }

  int count_of(const std::string& message) const {
    auto event = event_with(message);
    return event ? event->at("count").as_integer() : 0;
  }

  std::size_t requests(const std::string& method) const {
    std::size_t count = 0;
    for (const auto& request : server_.requests()) count += request.method == method;
    return count;
  }

  FakeApiServer server_;
  std::unique_ptr<kube::RestApiClient> client_;
  EventRecorderConfig config_;
  std::unique_ptr<EventRecorder> recorder_;
};

TEST_F(EventRecorderTest, RepeatsAreCountedOnOneEvent) {
  recorder().start();
  for (int i = 0; i < 3; ++i) {
    recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "service shop/api not found");
  }
  recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "port 99 not found");
  ASSERT_TRUE(eventually([&] { return count_of("service shop/api not found") == 3; }));
  ASSERT_TRUE(eventually([&] { return count_of("port 99 not found") == 1; }));
  EXPECT_EQ(events().size(), 2u);
  EXPECT_EQ(requests("POST"), 2u);
  EXPECT_EQ(requests("PATCH"), 2u);

  const value event = *event_with("service shop/api not found");
  EXPECT_EQ(event.at("metadata").at("namespace").as_string(), "shop");
  EXPECT_EQ(event.at("metadata").at("name").as_string().rfind("web.", 0), 0u);
  EXPECT_EQ(event.at("involvedObject").at("kind").as_string(), "Ingress");
  EXPECT_EQ(event.at("involvedObject").at("name").as_string(), "web");
  EXPECT_EQ(event.at("involvedObject").at("uid").as_string(), "uid-web");
  EXPECT_EQ(event.at("type").as_string(), "Warning");
  EXPECT_EQ(event.at("reason").as_string(), "RuleSkipped");
  EXPECT_EQ(event.at("source").at("component").as_string(), "portico");
  EXPECT_EQ(event.at("reportingComponent").as_string(), "portico.io/ingress-controller");
  EXPECT_EQ(event.at("reportingInstance").as_string(), "portico-0_test");
  EXPECT_LE(event.at("firstTimestamp").as_string(), event.at("lastTimestamp").as_string());
}

TEST_F(EventRecorderTest, RepeatsAfterTheWindowAreNewEvents) {
  config_.aggregation_window = 0s;
  recorder().start();
  recorder().record(kWeb, EventType::kNormal, "Synced", "ok");
  recorder().record(kWeb, EventType::kNormal, "Synced", "ok");
  ASSERT_TRUE(eventually([&] { return events().size() == 2; }));
  for (const value& event : events()) EXPECT_EQ(event.at("count").as_integer(), 1);
  EXPECT_EQ(requests("PATCH"), 0u);
}

TEST_F(EventRecorderTest, ExpiredEventIsPostedAgainKeepingItsCount) {
  recorder().start();
  recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "gone");
  ASSERT_TRUE(eventually([&] { return count_of("gone") == 1; }));
  const value first = *event_with("gone");
  server_.remove(kEvents, "shop", first.at("metadata").at("name").as_string());
  recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "gone");
  ASSERT_TRUE(eventually([&] { return count_of("gone") == 2; }));
  EXPECT_EQ(events().size(), 1u);
  EXPECT_NE(event_with("gone")->at("metadata").at("name"), first.at("metadata").at("name"));
}

TEST_F(EventRecorderTest, FullQueueDropsWithoutBlocking) {
  config_.queue_capacity = 2;
  const auto before = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) {
    recorder().record(kWeb, EventType::kNormal, "Test", "message " + std::to_string(i));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  recorder().start();
  ASSERT_TRUE(eventually([&] { return events().size() == 2; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(events().size(), 2u);
  EXPECT_TRUE(event_with("message 0"));
  EXPECT_TRUE(event_with("message 1"));
}

TEST_F(EventRecorderTest, LongMessagesAreTruncated) {
  recorder().start();
  recorder().record(kWeb, EventType::kWarning, "Long", std::string(5000, 'x'));
  ASSERT_TRUE(eventually([&] { return events().size() == 1; }));
  EXPECT_EQ(events()[0].at("message").as_string().size(), kMaxMessageBytes);
}

TEST_F(EventRecorderTest, TransportFailuresAreRetriedUntilTheServerIsBack) {
  config_.max_tries = 1000;  // the outage must not outlast the tries on a slow machine
  const uint16_t port = server_.port();
  server_.stop();
  recorder().start();
  recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "during an outage");
  std::this_thread::sleep_for(150ms);
  server_.start(port);
  ASSERT_TRUE(eventually([&] { return count_of("during an outage") == 1; }));
}

TEST_F(EventRecorderTest, RefusedEventsAreDroppedNotRetried) {
  recorder().start();
  server_.fail_next(1, 422);
  recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "refused");
  recorder().record(kWeb, EventType::kWarning, "RuleSkipped", "accepted");
  ASSERT_TRUE(eventually([&] { return count_of("accepted") == 1; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(event_with("refused"));
  EXPECT_EQ(requests("POST"), 2u);
}

}  // namespace
}  // namespace portico::controller::events
