#include "proxy/health/check_schedule.h"

#include <algorithm>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(CheckScheduleTest, FirstChecksSpreadOverTheWholeInterval) {
  std::mt19937_64 random(42);
  std::vector<microseconds> delays;
  for (int i = 0; i < 1000; ++i) delays.push_back(first_check_delay(milliseconds(100), random));
  const auto [low, high] = std::minmax_element(delays.begin(), delays.end());
  EXPECT_GE(*low, microseconds(0));
  EXPECT_LE(*high, microseconds(100'000));
  // A uniform spread reaches both ends of the interval and covers each tenth of it.
  EXPECT_LT(*low, microseconds(2'000));
  EXPECT_GT(*high, microseconds(98'000));
  std::set<int64_t> tenths;
  for (const microseconds delay : delays)
    tenths.insert(std::min<int64_t>(delay.count() / 10'000, 9));
  EXPECT_EQ(tenths.size(), 10u);
}

TEST(CheckScheduleTest, IntervalsAreJitteredByTenPercentEitherWay) {
  std::mt19937_64 random(7);
  std::vector<microseconds> intervals;
  for (int i = 0; i < 1000; ++i) intervals.push_back(jittered_interval(milliseconds(200), random));
  const auto [low, high] = std::minmax_element(intervals.begin(), intervals.end());
  EXPECT_GE(*low, microseconds(180'000));
  EXPECT_LE(*high, microseconds(220'000));
  EXPECT_LT(*low, microseconds(182'000));
  EXPECT_GT(*high, microseconds(218'000));
}

TEST(CheckScheduleTest, ATinyIntervalCannotSpin) {
  std::mt19937_64 random(1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_GE(jittered_interval(milliseconds(0), random), microseconds(900));
    EXPECT_GE(jittered_interval(milliseconds(-5), random), microseconds(900));
  }
}

}  // namespace
}  // namespace portico::proxy
