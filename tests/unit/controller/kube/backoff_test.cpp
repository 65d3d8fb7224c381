#include "controller/kube/backoff.h"

#include <gtest/gtest.h>

namespace portico::controller::kube {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DoublesUpToTheCapWithoutJitterAtZero) {
  Backoff backoff({milliseconds(100), milliseconds(1000), 2.0, 1.0});
  EXPECT_EQ(backoff.next(0.0), milliseconds(100));
  EXPECT_EQ(backoff.next(0.0), milliseconds(200));
  EXPECT_EQ(backoff.next(0.0), milliseconds(400));
  EXPECT_EQ(backoff.next(0.0), milliseconds(800));
  EXPECT_EQ(backoff.next(0.0), milliseconds(1000));
  EXPECT_EQ(backoff.next(0.0), milliseconds(1000));
}

TEST(BackoffTest, JitterStretchesEachWaitByUpToItsFraction) {
  Backoff backoff({milliseconds(100), milliseconds(1000), 2.0, 1.0});
  EXPECT_EQ(backoff.next(0.5), milliseconds(150));
  EXPECT_EQ(backoff.next(0.999), milliseconds(399));
  Backoff quarter({milliseconds(100), milliseconds(1000), 2.0, 0.25});
  EXPECT_EQ(quarter.next(1.0), milliseconds(125));
}

TEST(BackoffTest, ResetStartsOverFromTheInitialWait) {
  Backoff backoff({milliseconds(100), milliseconds(1000), 2.0, 0.0});
  backoff.next(0.0);
  backoff.next(0.0);
  backoff.reset();
  EXPECT_EQ(backoff.next(0.0), milliseconds(100));
}

TEST(BackoffTest, DefaultsAreClientGosReflectorOnes) {
  const BackoffOptions defaults;
  EXPECT_EQ(defaults.initial, milliseconds(800));
  EXPECT_EQ(defaults.cap, milliseconds(30'000));
}

}  // namespace
}  // namespace portico::controller::kube
