#include "controller/events/event_correlator.h"

#include <gtest/gtest.h>

namespace portico::controller::events {
namespace {

using std::chrono::seconds;

const WallTime kStart = WallTime(seconds(1'700'000'000));

PostedEvent posted(const std::string& name, WallTime last) {
  return PostedEvent{"ns", name, 1, kStart, last};
}

TEST(EventCorrelatorTest, FindsARepeatOnlyWithinTheWindowSinceTheLastOccurrence) {
  EventCorrelator correlator(seconds(600), 10);
  EXPECT_FALSE(correlator.find("k", kStart));
  correlator.remember("k", posted("a.1", kStart));
  ASSERT_TRUE(correlator.find("k", kStart + seconds(599)));
  EXPECT_EQ(correlator.find("k", kStart + seconds(599))->name, "a.1");
  EXPECT_FALSE(correlator.find("k", kStart + seconds(600)));
  EXPECT_FALSE(correlator.find("other", kStart));

  // Each repeat moves the window.
  correlator.remember("k", posted("a.1", kStart + seconds(500)));
  EXPECT_TRUE(correlator.find("k", kStart + seconds(1000)));
}

TEST(EventCorrelatorTest, BeyondCapacityForgetsExpiredThenLeastRecent) {
  EventCorrelator correlator(seconds(600), 2);
  correlator.remember("old", posted("o", kStart));
  correlator.remember("recent", posted("r", kStart + seconds(700)));
  correlator.remember("newer", posted("n", kStart + seconds(800)));  // "old" is past the window
  EXPECT_EQ(correlator.size(), 2u);
  EXPECT_TRUE(correlator.find("recent", kStart + seconds(800)));
  EXPECT_TRUE(correlator.find("newer", kStart + seconds(800)));

  correlator.remember("newest", posted("x", kStart + seconds(900)));  // none expired: LRU goes
  EXPECT_EQ(correlator.size(), 2u);
  EXPECT_FALSE(correlator.find("recent", kStart + seconds(900)));
  EXPECT_TRUE(correlator.find("newer", kStart + seconds(900)));
  EXPECT_TRUE(correlator.find("newest", kStart + seconds(900)));
}

}  // namespace
}  // namespace portico::controller::events
