#include "proxy/health/fall_rise.h"

#include <vector>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

// Feeds `results` and returns the indexes at which the verdict flipped.
std::vector<int> flips(FallRise& verdict, const std::vector<bool>& results, uint32_t fall,
                       uint32_t rise) {
  std::vector<int> at;
  for (int i = 0; i < static_cast<int>(results.size()); ++i) {
    if (verdict.record(results[i], fall, rise)) at.push_back(i);
  }
  return at;
}

TEST(FallRiseTest, FallConsecutiveFailuresTakeAPassingEndpointDown) {
  FallRise verdict(true);
  EXPECT_EQ(flips(verdict, {false, false}, 3, 2), std::vector<int>{});
  EXPECT_TRUE(verdict.passing());
  EXPECT_EQ(flips(verdict, {false}, 3, 2), std::vector<int>{0});
  EXPECT_FALSE(verdict.passing());
}

TEST(FallRiseTest, ASuccessInBetweenRestartsTheFailureRun) {
  FallRise verdict(true);
  EXPECT_EQ(flips(verdict, {false, false, true, false, false, true, false, false, false}, 3, 2),
            std::vector<int>{8});
  EXPECT_FALSE(verdict.passing());
}

TEST(FallRiseTest, RiseConsecutiveSuccessesBringADownEndpointBack) {
  FallRise verdict(false);
  EXPECT_EQ(flips(verdict, {true, false, true, true}, 3, 2), std::vector<int>{3});
  EXPECT_TRUE(verdict.passing());
  // Results that agree with the verdict never flip it.
  EXPECT_EQ(flips(verdict, {true, true, true}, 3, 2), std::vector<int>{});
}

TEST(FallRiseTest, ZeroThresholdsCountAsOne) {
  FallRise verdict(true);
  EXPECT_EQ(flips(verdict, {false, true, false}, 0, 0), (std::vector<int>{0, 1, 2}));
}

}  // namespace
}  // namespace portico::proxy
