// LeaderElector against the fake API server over real HTTP, with client-go's timing scaled
// down (lease 1 s, renew deadline 700 ms, retry 200 ms).
#include "controller/election/leader_elector.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "controller/election/lease_json.h"
#include "controller/kube/rest_api_client.h"
#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"

namespace portico::controller::election {
namespace {

using namespace std::chrono_literals;
using portico::testing::eventually;
using portico::testing::FakeApiServer;

constexpr char kLeases[] = "/apis/coordination.k8s.io/v1/leases";

LeaderElectionConfig fast_config(const std::string& identity) {
  LeaderElectionConfig config;
  config.namespace_ = "ingress";
  config.name = "portico-leader";
  config.identity = identity;
  config.lease_duration = 1s;
  config.renew_deadline = 700ms;
  config.retry_period = 200ms;
  return config;
}

// One candidate and what its callbacks saw.
struct Candidate {
  std::unique_ptr<LeaderElector> elector;
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  // is_leader() as seen from inside on_stopped_leading: must already be false.
  std::atomic<bool> leader_during_stop{false};
};

class LeaderElectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    kube::ClientConfig config;
    config.server = server_.url();
    auto client = kube::RestApiClient::create(config);
    ASSERT_TRUE(client.ok()) << client.error();
    client_ = std::move(client.value());
  }
  void TearDown() override {
    for (auto& candidate : candidates_) candidate->elector->stop();
    client_->shutdown();
  }

  Candidate& add(LeaderElectionConfig config) {
    auto candidate = std::make_unique<Candidate>();
    Candidate* raw = candidate.get();
    auto elector = LeaderElector::create(*client_, std::move(config),
                                         LeaderCallbacks{[raw] { ++raw->started; },
                                                         [raw] {
                                                           raw->leader_during_stop =
                                                               raw->elector->is_leader();
                                                           ++raw->stopped;
                                                         }});
    EXPECT_TRUE(elector.ok()) << elector.error();
    candidate->elector = std::move(elector.value());
    candidates_.push_back(std::move(candidate));
    return *raw;
  }

  std::optional<LeaseRecord> stored_lease() {
    auto json = server_.get(kLeases, "ingress", "portico-leader");
    if (!json) return std::nullopt;
    auto record = parse_lease(*json);
    EXPECT_TRUE(record.ok()) << record.error();
    return record.value();
  }

  FakeApiServer server_;
  std::unique_ptr<kube::RestApiClient> client_;
  std::vector<std::unique_ptr<Candidate>> candidates_;
};

TEST_F(LeaderElectorTest, TwoCandidatesElectExactlyOneLeader) {
  Candidate& a = add(fast_config("a"));
  Candidate& b = add(fast_config("b"));
  a.elector->start();
  b.elector->start();
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader() || b.elector->is_leader(); }));

  // Over several lease durations, never two leaders and never a change of leader.
  Candidate& leader = a.elector->is_leader() ? a : b;
  Candidate& follower = &leader == &a ? b : a;
  const auto until = std::chrono::steady_clock::now() + 2500ms;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(leader.elector->is_leader());
    ASSERT_FALSE(follower.elector->is_leader());
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(leader.started, 1);
  EXPECT_EQ(leader.stopped, 0);
  EXPECT_EQ(follower.started, 0);
  auto lease = stored_lease();
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->holder_identity, leader.elector->identity());
  EXPECT_EQ(lease->lease_duration_seconds, 1);
  EXPECT_EQ(lease->lease_transitions, 0);
  // Renewals push renewTime and keep acquireTime.
  EXPECT_GT(*lease->renew_time, *lease->acquire_time + 1s);
}

TEST_F(LeaderElectorTest, CrashedLeaderIsReplacedOnceItsLeaseExpires) {
  LeaderElectionConfig first = fast_config("first");
  first.release_on_stop = false;  // a crash: the Lease is left as it was
  Candidate& a = add(first);
  a.elector->start();
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader(); }));
  Candidate& b = add(fast_config("second"));
  b.elector->start();
  std::this_thread::sleep_for(500ms);
  ASSERT_FALSE(b.elector->is_leader());

  const auto crashed_at = std::chrono::steady_clock::now();
  a.elector->stop();
  ASSERT_TRUE(eventually([&] { return b.elector->is_leader(); }, 3s));
  const auto waited = std::chrono::steady_clock::now() - crashed_at;
  // The last renewal was at most one retry period before the crash, and the follower must
  // wait a full lease duration after seeing it.
  EXPECT_GE(waited, 1s - 200ms - 50ms);
  EXPECT_LE(waited, 1s + 2 * 440ms + 300ms);
  auto lease = stored_lease();
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->holder_identity, "second");
  EXPECT_EQ(lease->lease_transitions, 1);
  EXPECT_EQ(a.stopped, 1);
  EXPECT_FALSE(a.leader_during_stop);
}

TEST_F(LeaderElectorTest, ReleasedLeaseIsTakenOverAtTheNextTry) {
  Candidate& a = add(fast_config("first"));
  a.elector->start();
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader(); }));
  Candidate& b = add(fast_config("second"));
  b.elector->start();
  std::this_thread::sleep_for(300ms);

  const auto released_at = std::chrono::steady_clock::now();
  a.elector->stop();  // releases: holder "" and leaseDurationSeconds 1
  EXPECT_FALSE(a.elector->is_leader());
  EXPECT_EQ(a.stopped, 1);
  ASSERT_TRUE(eventually([&] { return b.elector->is_leader(); }, 3s));
  // One jittered retry period (at most 440 ms), not a lease duration.
  EXPECT_LT(std::chrono::steady_clock::now() - released_at, 700ms);
  EXPECT_EQ(stored_lease()->lease_transitions, 1);
}

TEST_F(LeaderElectorTest, StolenLeaseEndsLeadershipAtTheNextRenewal) {
  Candidate& a = add(fast_config("me"));
  a.elector->start();
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader(); }));

  // Someone else writes the Lease as theirs, fresh.
  LeaseRecord stolen = *stored_lease();
  stolen.holder_identity = "thief";
  stolen.lease_transitions += 1;
  stolen.renew_time = std::chrono::system_clock::now();
  stolen.resource_version.clear();
  server_.update(kLeases, lease_json("ingress", "portico-leader", stolen));

  // The next renewal (within one retry period) sees it: no waiting for the renew deadline.
  const auto stolen_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return !a.elector->is_leader(); }, 2s));
  EXPECT_LT(std::chrono::steady_clock::now() - stolen_at, 450ms);
  ASSERT_TRUE(eventually([&] { return a.stopped == 1; }));
  EXPECT_FALSE(a.leader_during_stop);
  EXPECT_EQ(stored_lease()->holder_identity, "thief");

  // The thief never renews: its lease expires and the candidate takes it back.
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader(); }, 3s));
  EXPECT_EQ(a.started, 2);
  EXPECT_EQ(stored_lease()->lease_transitions, stolen.lease_transitions + 1);
}

TEST_F(LeaderElectorTest, UnreachableApiServerEndsTheTermWithinTheRenewDeadline) {
  Candidate& a = add(fast_config("me"));
  a.elector->start();
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader(); }));

  const auto outage_at = std::chrono::steady_clock::now();
  server_.fail_next(1'000'000, 500);
  ASSERT_TRUE(eventually([&] { return !a.elector->is_leader(); }, 2s));
  // The deadline counts from the start of the last successful renewal (<= one retry period
  // before the outage).
  EXPECT_LT(std::chrono::steady_clock::now() - outage_at, 700ms + 100ms);
  ASSERT_TRUE(eventually([&] { return a.stopped == 1; }));
  EXPECT_FALSE(a.leader_during_stop);

  // Back again: the Lease is still ours, so it is renewed, not taken over.
  server_.fail_next(0, 500);
  ASSERT_TRUE(eventually([&] { return a.elector->is_leader(); }, 3s));
  EXPECT_EQ(stored_lease()->lease_transitions, 0);
}

TEST(LeaderElectorConfigTest, RejectsClientGoInvalidTimings) {
  struct NoClient final : kube::ApiClient {
    Result<kube::ApiResponse> call(kube::Method, const std::string&, const std::string&,
                                   const std::string&) override {
      return Error{"unused"};
    }
    Result<kube::ApiResponse> stream_lines(const std::string&,
                                           const std::function<bool(std::string_view)>&,
                                           std::chrono::seconds) override {
      return Error{"unused"};
    }
    void shutdown() override {}
  } client;
  EXPECT_TRUE(LeaderElector::create(client, fast_config("me"), {}).ok());

  LeaderElectionConfig config = fast_config("me");
  config.renew_deadline = 1s;  // not below the lease duration
  EXPECT_FALSE(LeaderElector::create(client, config, {}).ok());
  config = fast_config("me");
  config.renew_deadline = 240ms;  // not above retry * 1.2
  EXPECT_FALSE(LeaderElector::create(client, config, {}).ok());
  config = fast_config("me");
  config.lease_duration = 900ms;  // the Lease carries whole seconds
  config.renew_deadline = 500ms;
  EXPECT_FALSE(LeaderElector::create(client, config, {}).ok());
  config = fast_config("");
  EXPECT_FALSE(LeaderElector::create(client, config, {}).ok());
}

TEST(CandidateIdentityTest, IsThePodNameWithAFreshSuffix) {
  const std::string first = candidate_identity("portico-7d9f");
  const std::string second = candidate_identity("portico-7d9f");
  EXPECT_EQ(first.rfind("portico-7d9f_", 0), 0u);
  EXPECT_EQ(first.size(), std::string("portico-7d9f_").size() + 16);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace portico::controller::election
