#include "autoscaler/loop/evaluation_schedule.h"

#include <gtest/gtest.h>

namespace portico::autoscaler {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart{};

TEST(EvaluationSchedule, TicksEverySyncPeriodAndAnEventIsDueAtOnce) {
  EvaluationSchedule schedule(5s, kStart);
  EXPECT_TRUE(schedule.due(kStart));
  EXPECT_FALSE(schedule.for_event(kStart));
  schedule.evaluated(kStart, kStart + 20ms, true);
  EXPECT_FALSE(schedule.due(kStart + 4999ms));
  EXPECT_TRUE(schedule.due(kStart + 5s));

  schedule.request();
  EXPECT_TRUE(schedule.due(kStart + 1s));
  EXPECT_TRUE(schedule.for_event(kStart + 1s));
  schedule.evaluated(kStart + 1s, kStart + 1s + 20ms, true);
  // An event does not move the tick: the cadence is the HPA's, every sync period.
  EXPECT_FALSE(schedule.due(kStart + 4999ms));
  EXPECT_TRUE(schedule.due(kStart + 5s));
}

TEST(EvaluationSchedule, AFailureIsRetriedAfter100Then200Then400MsThenLeftToTheTick) {
  EvaluationSchedule schedule(1h, kStart);
  schedule.evaluated(kStart, kStart, true);
  schedule.request();
  TimePoint now = kStart + 1s;
  schedule.evaluated(now, now + 30ms, false);  // the API call failed after 30 ms
  for (const auto backoff : {100ms, 200ms, 400ms}) {
    const TimePoint finished = now + 30ms;
    EXPECT_FALSE(schedule.due(finished + backoff - 1ms)) << backoff.count();
    now = finished + backoff;
    ASSERT_TRUE(schedule.due(now)) << backoff.count();
    EXPECT_TRUE(schedule.for_event(now)) << "a retry of an event's evaluation is one";
    schedule.evaluated(now, now + 30ms, false);
  }
  EXPECT_FALSE(schedule.due(now + 30min)) << "three retries, then the tick";
  EXPECT_TRUE(schedule.due(kStart + 1h));
}

TEST(EvaluationSchedule, ASuccessEndsTheRetries) {
  EvaluationSchedule schedule(1h, kStart);
  schedule.evaluated(kStart, kStart, false);
  ASSERT_TRUE(schedule.due(kStart + 100ms));
  EXPECT_FALSE(schedule.for_event(kStart + 100ms)) << "a retry of the tick's evaluation";
  schedule.evaluated(kStart + 100ms, kStart + 100ms, true);
  EXPECT_FALSE(schedule.due(kStart + 30min));
}

}  // namespace
}  // namespace portico::autoscaler
