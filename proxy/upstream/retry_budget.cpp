#include "proxy/upstream/retry_budget.h"

#include <algorithm>

namespace portico::proxy {

void RetryBudget::roll(Clock::time_point now) {
  if (now - window_start_ < kWindow) return;
  const bool adjacent = now - window_start_ < 2 * kWindow;
  previous_requests_ = adjacent ? requests_ : 0;
  previous_retries_ = adjacent ? retries_ : 0;
  requests_ = 0;
  retries_ = 0;
  window_start_ = now;
}

void RetryBudget::count_request(Clock::time_point now) {
  roll(now);
  ++requests_;
}

bool RetryBudget::try_retry(const RetryPolicy& policy, Clock::time_point now) {
  roll(now);
  const uint64_t requests = requests_ + previous_requests_;
  const uint64_t retries = retries_ + previous_retries_;
  const uint64_t allowed =
      std::max<uint64_t>(policy.min_retries_per_10s, requests * policy.budget_percent / 100);
  if (retries >= allowed) return false;
  ++retries_;
  return true;
}

}  // namespace portico::proxy
