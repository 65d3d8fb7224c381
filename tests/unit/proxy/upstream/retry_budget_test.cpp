#include "proxy/upstream/retry_budget.h"

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

using namespace std::chrono_literals;
using Clock = RetryBudget::Clock;

RetryPolicy budget(uint32_t percent, uint32_t floor) {
  RetryPolicy policy;
  policy.budget_percent = percent;
  policy.min_retries_per_10s = floor;
  return policy;
}

TEST(RetryBudgetTest, RetriesAreCappedAtAShareOfRequests) {
  RetryBudget retry_budget;
  const auto now = Clock::time_point(1h);
  for (int i = 0; i < 100; ++i) retry_budget.count_request(now);
  int granted = 0;
  for (int i = 0; i < 100; ++i) granted += retry_budget.try_retry(budget(20, 0), now) ? 1 : 0;
  EXPECT_EQ(granted, 20);
}

TEST(RetryBudgetTest, TheFloorAllowsRetriesAtLowTraffic) {
  RetryBudget retry_budget;
  const auto now = Clock::time_point(1h);
  retry_budget.count_request(now);
  int granted = 0;
  for (int i = 0; i < 50; ++i) granted += retry_budget.try_retry(budget(20, 3), now) ? 1 : 0;
  EXPECT_EQ(granted, 3);
}

TEST(RetryBudgetTest, TheWindowSlides) {
  RetryBudget retry_budget;
  const RetryPolicy policy = budget(10, 0);
  auto now = Clock::time_point(1h);
  for (int i = 0; i < 100; ++i) retry_budget.count_request(now);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(retry_budget.try_retry(policy, now));
  EXPECT_FALSE(retry_budget.try_retry(policy, now));
  // The next window still remembers the last one...
  now += 11s;
  EXPECT_FALSE(retry_budget.try_retry(policy, now));
  // ...and after two quiet windows, with no requests, nothing is allowed (no floor).
  now += 25s;
  EXPECT_FALSE(retry_budget.try_retry(policy, now));
  for (int i = 0; i < 50; ++i) retry_budget.count_request(now);
  EXPECT_TRUE(retry_budget.try_retry(policy, now));
}

}  // namespace
}  // namespace portico::proxy
