#include "controller/metrics/resource_weight.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace portico::controller::metrics {
namespace {

TEST(ResourceWeightTest, AnIdlePodEarnsTheFullWeightAndABusyOneLess) {
  EXPECT_EQ(resource_weight(0, 1000, 80), kIdleResourceWeight);
  // 40 % of the request is half-way to an 80 % ceiling.
  EXPECT_EQ(resource_weight(400, 1000, 80), kIdleResourceWeight / 2);
  EXPECT_GT(resource_weight(100, 1000, 80), resource_weight(600, 1000, 80));
}

TEST(ResourceWeightTest, AtOrAboveTheCeilingAPodEarnsNothing) {
  EXPECT_EQ(resource_weight(800, 1000, 80), 0);
  EXPECT_EQ(resource_weight(1500, 1000, 80), 0);
  // Just below the ceiling any spare capacity still earns something.
  EXPECT_EQ(resource_weight(799, 1000, 80), 1);
}

TEST(ResourceWeightTest, ACeilingAboveTheRequestAllowsBurstingPods) {
  EXPECT_EQ(resource_weight(1000, 1000, 150), 34);  // a third of 150 % left, rounded up
  EXPECT_EQ(resource_weight(1500, 1000, 150), 0);
}

TEST(ResourceWeightTest, WithoutACpuRequestUtilizationIsUnknown) {
  EXPECT_EQ(resource_weight(100, 0, 80), -1);
  EXPECT_EQ(resource_weight(100, -5, 80), -1);
}

TEST(ResourceWeightTest, HostileFiguresNeitherOverflowNorGoNegative) {
  constexpr int64_t kHuge = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(resource_weight(kHuge, 1000, 80), 0);
  EXPECT_EQ(resource_weight(-kHuge, 1000, 80), kIdleResourceWeight);
  EXPECT_EQ(resource_weight(10, kHuge, 80), -1);
}

TEST(ResourceWeightTest, EveryAddressOfAPodGetsItsWeight) {
  const auto weights =
      resource_weights_by_ip({{{"10.0.0.1", "fd00::1"}, 0, 500}, {{"10.0.0.2"}, 500, 500}}, 90);
  ASSERT_EQ(weights.size(), 3u);
  EXPECT_EQ(weights.at("10.0.0.1"), kIdleResourceWeight);
  EXPECT_EQ(weights.at("fd00::1"), kIdleResourceWeight);
  EXPECT_EQ(weights.at("10.0.0.2"), 0);
}

TEST(ResourceWeightTest, AnAddressSharedByTwoPodsTakesTheBusierOnesWeight) {
  const auto idle_first =
      resource_weights_by_ip({{{"10.0.0.9"}, 0, 100}, {{"10.0.0.9"}, 90, 100}}, 100);
  const auto busy_first =
      resource_weights_by_ip({{{"10.0.0.9"}, 90, 100}, {{"10.0.0.9"}, 0, 100}}, 100);
  EXPECT_EQ(idle_first.at("10.0.0.9"), 10);
  EXPECT_EQ(busy_first.at("10.0.0.9"), 10);
  // A pod without a request does not hide the measured one.
  EXPECT_EQ(
      resource_weights_by_ip({{{"10.0.0.9"}, 0, 0}, {{"10.0.0.9"}, 90, 100}}, 100).at("10.0.0.9"),
      10);
}

}  // namespace
}  // namespace portico::controller::metrics
