#include "controller/election/lease_decision.h"

#include <gtest/gtest.h>

namespace portico::controller::election {
namespace {

using std::chrono::seconds;

constexpr seconds kDuration{15};

// Local and wall clocks deliberately far apart: the rules must only ever compare local
// times with local times.
ElectionClock at(seconds local, seconds wall_skew = seconds(0)) {
  return ElectionClock{LocalTime(seconds(1000) + local),
                       WallTime(seconds(1'700'000'000) + local + wall_skew)};
}

LeaseRecord held_by(const std::string& holder, seconds renewed_wall, int32_t transitions = 3) {
  LeaseRecord record;
  record.holder_identity = holder;
  record.lease_duration_seconds = 15;
  record.acquire_time = WallTime(seconds(1'600'000'000));
  record.renew_time = WallTime(seconds(1'700'000'000) + renewed_wall);
  record.lease_transitions = transitions;
  record.resource_version = "41";
  return record;
}

TEST(LeaseDecisionTest, NoLeaseIsCreatedHeldByMe) {
  const ElectionClock now = at(seconds(5));
  LeaseDecision decision = decide_lease(std::nullopt, std::nullopt, "me", kDuration, now);
  EXPECT_EQ(decision.action, LeaseAction::kCreate);
  EXPECT_EQ(decision.record.holder_identity, "me");
  EXPECT_EQ(decision.record.lease_duration_seconds, 15);
  EXPECT_EQ(decision.record.acquire_time, now.wall);
  EXPECT_EQ(decision.record.renew_time, now.wall);
  EXPECT_EQ(decision.record.lease_transitions, 0);
  EXPECT_TRUE(decision.record.resource_version.empty());
  EXPECT_FALSE(decision.observation);
}

TEST(LeaseDecisionTest, FirstSightOfAnotherHolderFollowsWhateverItsTimestampsSay) {
  // The record's renewTime is an hour old by our wall clock, but we have only just seen it:
  // it is valid for a full duration from now.
  const LeaseRecord theirs = held_by("other", seconds(-3600));
  LeaseDecision decision = decide_lease(theirs, std::nullopt, "me", kDuration, at(seconds(0)));
  EXPECT_EQ(decision.action, LeaseAction::kFollow);
  EXPECT_EQ(decision.record, theirs);
  EXPECT_EQ(decision.observation->record, theirs);
  EXPECT_EQ(decision.observation->observed_at, at(seconds(0)).local);
}

TEST(LeaseDecisionTest, UnchangedRecordExpiresOnTheLocalClock) {
  const LeaseRecord theirs = held_by("other", seconds(0));
  LeaseDecision first = decide_lease(theirs, std::nullopt, "me", kDuration, at(seconds(0)));
  ASSERT_EQ(first.action, LeaseAction::kFollow);

  LeaseDecision before = decide_lease(theirs, first.observation, "me", kDuration, at(seconds(14)));
  EXPECT_EQ(before.action, LeaseAction::kFollow);
  EXPECT_EQ(before.observation->observed_at, first.observation->observed_at);

  // Exactly at the boundary the lease is no longer valid (client-go: observed+duration After now).
  LeaseDecision expired =
      decide_lease(theirs, before.observation, "me", kDuration, at(seconds(15)));
  EXPECT_EQ(expired.action, LeaseAction::kTakeOver);
  EXPECT_EQ(expired.record.holder_identity, "me");
  EXPECT_EQ(expired.record.lease_transitions, theirs.lease_transitions + 1);
  EXPECT_EQ(expired.record.acquire_time, at(seconds(15)).wall);
  EXPECT_EQ(expired.record.renew_time, at(seconds(15)).wall);
  EXPECT_EQ(expired.record.resource_version, theirs.resource_version);
}

TEST(LeaseDecisionTest, RemoteRenewalRestartsTheLeaseEvenWithAFarBehindWallClock) {
  // The holder's clock is a day behind ours: its renewTime looks expired, yet each change
  // of the record keeps the lease valid.
  const LeaseRecord first_seen = held_by("other", seconds(-86400));
  LeaseDecision first = decide_lease(first_seen, std::nullopt, "me", kDuration, at(seconds(0)));
  LeaseRecord renewed = held_by("other", seconds(-86390));
  renewed.resource_version = "42";
  LeaseDecision second = decide_lease(renewed, first.observation, "me", kDuration, at(seconds(10)));
  EXPECT_EQ(second.observation->observed_at, at(seconds(10)).local);
  LeaseDecision third = decide_lease(renewed, second.observation, "me", kDuration, at(seconds(20)));
  EXPECT_EQ(third.action, LeaseAction::kFollow);
  LeaseDecision fourth = decide_lease(renewed, third.observation, "me", kDuration, at(seconds(25)));
  EXPECT_EQ(fourth.action, LeaseAction::kTakeOver);
}

TEST(LeaseDecisionTest, ResourceVersionAloneIsNotARenewal) {
  const LeaseRecord theirs = held_by("other", seconds(0));
  LeaseDecision first = decide_lease(theirs, std::nullopt, "me", kDuration, at(seconds(0)));
  LeaseRecord touched = theirs;
  touched.resource_version = "99";  // e.g. a label change
  LeaseDecision later = decide_lease(touched, first.observation, "me", kDuration, at(seconds(16)));
  EXPECT_EQ(later.action, LeaseAction::kTakeOver);
  EXPECT_EQ(later.record.resource_version, "99");
}

TEST(LeaseDecisionTest, FutureWallTimestampsDoNotExtendTheLease) {
  const LeaseRecord theirs = held_by("other", seconds(3600));  // renewTime an hour ahead
  LeaseDecision first = decide_lease(theirs, std::nullopt, "me", kDuration, at(seconds(0)));
  LeaseDecision later = decide_lease(theirs, first.observation, "me", kDuration, at(seconds(16)));
  EXPECT_EQ(later.action, LeaseAction::kTakeOver);
}

TEST(LeaseDecisionTest, EmptyHolderIsTakenOverAtOnce) {
  LeaseRecord released = held_by("", seconds(0));
  LeaseDecision decision = decide_lease(released, std::nullopt, "me", kDuration, at(seconds(0)));
  EXPECT_EQ(decision.action, LeaseAction::kTakeOver);
  EXPECT_EQ(decision.record.lease_transitions, released.lease_transitions + 1);
}

TEST(LeaseDecisionTest, MyOwnLeaseIsRenewedKeepingAcquireTimeAndTransitions) {
  const LeaseRecord mine = held_by("me", seconds(0), 7);
  const ElectionClock now = at(seconds(3));
  LeaseDecision decision = decide_lease(mine, std::nullopt, "me", kDuration, now);
  EXPECT_EQ(decision.action, LeaseAction::kRenew);
  EXPECT_EQ(decision.record.holder_identity, "me");
  EXPECT_EQ(decision.record.acquire_time, mine.acquire_time);
  EXPECT_EQ(decision.record.renew_time, now.wall);
  EXPECT_EQ(decision.record.lease_transitions, 7);
  EXPECT_EQ(decision.record.resource_version, "41");
}

TEST(LeaseDecisionTest, MyOwnExpiredLeaseIsStillRenewedNotCountedAsATransition) {
  const LeaseRecord mine = held_by("me", seconds(0), 7);
  LeaseDecision first = decide_lease(mine, std::nullopt, "me", kDuration, at(seconds(0)));
  LeaseDecision late = decide_lease(mine, first.observation, "me", kDuration, at(seconds(60)));
  EXPECT_EQ(late.action, LeaseAction::kRenew);
  EXPECT_EQ(late.record.lease_transitions, 7);
}

TEST(LeaseDecisionTest, RecordDurationNotConfiguredDurationDecidesValidity) {
  LeaseRecord theirs = held_by("other", seconds(0));
  theirs.lease_duration_seconds = 60;
  LeaseDecision first = decide_lease(theirs, std::nullopt, "me", kDuration, at(seconds(0)));
  LeaseDecision later = decide_lease(theirs, first.observation, "me", kDuration, at(seconds(30)));
  EXPECT_EQ(later.action, LeaseAction::kFollow);
  // ...and the record we would write carries our configured duration.
  LeaseDecision expired = decide_lease(theirs, later.observation, "me", kDuration, at(seconds(61)));
  EXPECT_EQ(expired.record.lease_duration_seconds, 15);
}

TEST(LeaseDecisionTest, WrittenTimesAreMicroseconds) {
  ElectionClock now = at(seconds(0));
  now.wall += std::chrono::nanoseconds(1'234'567);
  LeaseDecision decision = decide_lease(std::nullopt, std::nullopt, "me", kDuration, now);
  EXPECT_EQ(decision.record.renew_time->time_since_epoch() % std::chrono::microseconds(1),
            std::chrono::nanoseconds(0));
  EXPECT_EQ(*decision.record.renew_time, std::chrono::floor<std::chrono::microseconds>(now.wall));
}

TEST(OptimisticRenewalTest, OnlyTheValidObservedHolderRenewsWithoutReading) {
  LeaseRecord mine = held_by("me", seconds(0), 4);
  mine.resource_version = "77";
  const Observation observed{mine, at(seconds(0)).local};

  auto renewal = optimistic_renewal(observed, "me", kDuration, at(seconds(2)));
  ASSERT_TRUE(renewal);
  EXPECT_EQ(renewal->holder_identity, "me");
  EXPECT_EQ(renewal->acquire_time, mine.acquire_time);
  EXPECT_EQ(renewal->renew_time, at(seconds(2)).wall);
  EXPECT_EQ(renewal->lease_transitions, 4);
  EXPECT_EQ(renewal->resource_version, "77");

  EXPECT_FALSE(optimistic_renewal(observed, "me", kDuration, at(seconds(15))));
  EXPECT_FALSE(optimistic_renewal(observed, "someone-else", kDuration, at(seconds(2))));
  EXPECT_FALSE(optimistic_renewal(std::nullopt, "me", kDuration, at(seconds(2))));
}

TEST(ReleasedRecordTest, StepsDownKeepingTransitionsAndResourceVersion) {
  const LeaseRecord mine = held_by("me", seconds(0), 9);
  const WallTime now = at(seconds(1)).wall;
  LeaseRecord released = released_record(mine, now);
  EXPECT_EQ(released.holder_identity, "");
  EXPECT_EQ(released.lease_duration_seconds, 1);
  EXPECT_EQ(released.lease_transitions, 9);
  EXPECT_EQ(released.resource_version, "41");
  EXPECT_EQ(released.renew_time, now);
  EXPECT_EQ(released.acquire_time, now);
}

}  // namespace
}  // namespace portico::controller::election
