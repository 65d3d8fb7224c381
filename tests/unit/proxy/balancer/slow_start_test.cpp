#include "proxy/balancer/slow_start.h"

#include <chrono>

#include <gtest/gtest.h>

#include "proxy/balancer/least_connections.h"
#include "proxy/balancer/weighted_round_robin.h"
#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;
using balancer_test::pick_counts;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr int64_t kCreated = 5'000'000'000;
constexpr nanoseconds kWindow = std::chrono::seconds(10);
constexpr int64_t kWindowNs = 10'000'000'000;

TEST(SlowStartWeightTest, RampsLinearlyFromTenPercentToFull) {
  EXPECT_EQ(slow_start_weight(2, kCreated, kCreated, kWindow), 200);
  EXPECT_EQ(slow_start_weight(2, kCreated, kCreated + kWindowNs / 2, kWindow), 1100);
  EXPECT_EQ(slow_start_weight(2, kCreated, kCreated + kWindowNs / 4, kWindow), 2 * 325);
  EXPECT_EQ(slow_start_weight(2, kCreated, kCreated + kWindowNs, kWindow), 2000);
  EXPECT_EQ(slow_start_weight(2, kCreated, kCreated + 100 * kWindowNs, kWindow), 2000);
}

TEST(SlowStartWeightTest, ClockBeforeCreationIsTheStartOfTheRamp) {
  EXPECT_EQ(slow_start_weight(3, kCreated, kCreated - 1'000'000, kWindow), 300);
}

TEST(SlowStartWeightTest, NoWindowMeansFullWeightAtOnce) {
  EXPECT_EQ(slow_start_weight(7, kCreated, kCreated, nanoseconds{0}), 7 * kWeightScale);
}

TEST(SlowStartWeightTest, ZeroWeightCountsAsOneAndHugeWeightsAreClamped) {
  EXPECT_EQ(slow_start_weight(0, kCreated, kCreated, nanoseconds{0}), kWeightScale);
  EXPECT_EQ(slow_start_weight(0, kCreated, kCreated, kWindow), kWeightScale / 10);
  EXPECT_EQ(slow_start_weight(4'000'000'000u, kCreated, kCreated, nanoseconds{0}),
            int64_t{kMaxWeight} * kWeightScale);
}

TEST(SlowStartWeightTest, WindowsOfCenturiesDoNotOverflow) {
  const auto century = std::chrono::duration_cast<nanoseconds>(std::chrono::hours(24 * 36525));
  const int64_t weight = slow_start_weight(kMaxWeight, 0, century.count() / 2, century);
  EXPECT_GE(weight, int64_t{kMaxWeight} * 100);
  EXPECT_LE(weight, int64_t{kMaxWeight} * 1000);
}

// An endpoint that has been up for longer than the window, and one created after it.
class SlowStartShareTest : public ::testing::Test {
 protected:
  static constexpr milliseconds kShareWindow{2};

  int64_t new_created() const { return old_and_new_[1].state->created_ns; }
  PickRequest at(int64_t since_new_created) const {
    return {0, 0, new_created() + since_new_created};
  }

  const std::vector<Endpoint> old_and_new_ =
      balancer_test::make_old_and_new_endpoints(kShareWindow);
};

TEST_F(SlowStartShareTest, WeightedRoundRobinGivesTheNewEndpointARampingShare) {
  const int64_t window = nanoseconds(kShareWindow).count();
  const auto counts_at = [&](int64_t since_created, std::size_t picks) {
    WeightedRoundRobinBalancer balancer(kShareWindow, 0);
    return pick_counts(balancer, old_and_new_, picks, at(since_created));
  };
  // Weights 1000 : 100, then 1000 : 550, then 1000 : 1000, each over whole cycles.
  EXPECT_EQ(counts_at(0, 2200), (std::vector<int>{2000, 200}));
  EXPECT_EQ(counts_at(window / 2, 3100), (std::vector<int>{2000, 1100}));
  EXPECT_EQ(counts_at(window, 2000), (std::vector<int>{1000, 1000}));
  // Without slow start the new endpoint takes its full share at once.
  WeightedRoundRobinBalancer no_ramp(nanoseconds{0}, 0);
  EXPECT_EQ(pick_counts(no_ramp, old_and_new_, 2000, at(0)), (std::vector<int>{1000, 1000}));
}

TEST_F(SlowStartShareTest, LeastConnectionsDoesNotFloodTheNewEndpoint) {
  // The old endpoint is busy, the new one idle: plain least-connections would send it every
  // request. At the start of its ramp it weighs 10 %: score (0 + 1) / 100 > (4 + 1) / 1000.
  old_and_new_[0].state->active_requests.store(4);
  const int64_t window = nanoseconds(kShareWindow).count();
  LeastConnectionsBalancer ramped(false, kShareWindow, 0);
  EXPECT_EQ(ramped.pick(old_and_new_, at(0)), 0u);
  EXPECT_EQ(ramped.pick(old_and_new_, at(window / 2)), 1u);  // 1 / 550 < 5 / 1000
  LeastConnectionsBalancer plain(false, nanoseconds{0}, 0);
  EXPECT_EQ(plain.pick(old_and_new_, at(0)), 1u);
}

}  // namespace
}  // namespace portico::proxy
