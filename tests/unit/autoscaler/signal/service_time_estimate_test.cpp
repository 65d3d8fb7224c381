// The time in system by Little's law, per segment, and the low quantile that keeps a backlog
// out of it.
#include "autoscaler/signal/service_time_estimate.h"

#include <gtest/gtest.h>

namespace portico::autoscaler {
namespace {

ServiceTimeOptions options(std::size_t segments = 8) {
  ServiceTimeOptions result;
  result.segment_seconds = 10;
  result.segments = segments;
  result.quantile = 0.25;
  result.min_arrivals = 20;
  return result;
}

// One closed segment: `seconds` with `in_flight` on average and `arrivals` arriving.
void segment(ServiceTimeEstimate& estimate, double in_flight, int64_t arrivals) {
  estimate.add(10, in_flight * 10, arrivals);
}

TEST(ServiceTimeEstimate, IsTimeInSystemByLittlesLaw) {
  ServiceTimeEstimate estimate(options());
  EXPECT_FALSE(estimate.seconds().has_value());
  // 100 requests per second with 10 in flight on average: each stays 0.1 s.
  for (int i = 0; i < 10; ++i) estimate.add(1, 10, 100);
  ASSERT_TRUE(estimate.seconds().has_value());
  EXPECT_DOUBLE_EQ(*estimate.seconds(), 0.1);
}

TEST(ServiceTimeEstimate, WaitsForTheSegmentToClose) {
  ServiceTimeEstimate estimate(options());
  estimate.add(9.9, 99, 990);
  EXPECT_FALSE(estimate.seconds().has_value());
  estimate.add(0.1, 1, 10);
  EXPECT_TRUE(estimate.seconds().has_value());
}

TEST(ServiceTimeEstimate, DropsSegmentsWithTooFewArrivals) {
  ServiceTimeEstimate estimate(options());
  segment(estimate, 1, 19);
  EXPECT_FALSE(estimate.seconds().has_value());
  segment(estimate, 2, 20);
  ASSERT_TRUE(estimate.seconds().has_value());
  EXPECT_DOUBLE_EQ(*estimate.seconds(), 1.0);
}

TEST(ServiceTimeEstimate, SkipDropsTheOpenSegment) {
  ServiceTimeEstimate estimate(options());
  estimate.add(5, 500, 10);  // 5 s of a very long time in system, then an unknown interval
  estimate.skip();
  segment(estimate, 10, 1000);
  EXPECT_DOUBLE_EQ(*estimate.seconds(), 0.1);
}

TEST(ServiceTimeEstimate, ABacklogOnFewSegmentsDoesNotMoveIt) {
  ServiceTimeEstimate estimate(options(8));
  for (int i = 0; i < 6; ++i) segment(estimate, 10, 1000);  // 0.1 s
  // Requests waited while new pods started: the time in system went up tenfold.
  segment(estimate, 500, 5000);
  segment(estimate, 300, 3000);
  EXPECT_DOUBLE_EQ(*estimate.seconds(), 0.1);
}

TEST(ServiceTimeEstimate, FollowsALastingChange) {
  ServiceTimeEstimate estimate(options(8));
  for (int i = 0; i < 8; ++i) segment(estimate, 10, 1000);  // 0.1 s
  // The backend slows down for good: while a quarter of the history still says 0.1 s the
  // estimate does, and once more than three quarters say 0.2 s, so does it.
  for (int i = 0; i < 5; ++i) segment(estimate, 20, 1000);
  EXPECT_NEAR(*estimate.seconds(), 0.1, 1e-12);
  for (int i = 0; i < 2; ++i) segment(estimate, 20, 1000);
  EXPECT_NEAR(*estimate.seconds(), 0.2, 1e-12);
}

TEST(ServiceTimeEstimate, InterpolatesTheQuantile) {
  ServiceTimeEstimate estimate(options(5));
  for (int i = 1; i <= 5; ++i) segment(estimate, i, 100);  // 0.1 .. 0.5 s
  // Rank 0.25 x 4 = 1 of the sorted 0.1, 0.2, 0.3, 0.4, 0.5.
  EXPECT_NEAR(*estimate.seconds(), 0.2, 1e-12);
  segment(estimate, 6, 100);  // 0.6 s pushes 0.1 s out: 0.2 .. 0.6
  EXPECT_NEAR(*estimate.seconds(), 0.3, 1e-12);
}

}  // namespace
}  // namespace portico::autoscaler
