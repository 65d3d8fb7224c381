#pragma once
// A retry budget (Finagle's RetryBudget, Envoy's retry_budget): retries may add at most
// budget_percent of the requests seen over the last 10 to 20 seconds, plus a small floor,
// so that when a backend is failing under load, retries do not multiply the load. Two
// 10-second buckets approximate the sliding window.
//
// One per worker per backend: the worker's own counters, no sharing, no locks.
#include <chrono>
#include <cstdint>

#include "proxy/upstream/retry_policy.h"

namespace portico::proxy {

class RetryBudget {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{10};

  void count_request(Clock::time_point now);
  // True, and the retry counted, when the budget has room for one more.
  bool try_retry(const RetryPolicy& policy, Clock::time_point now);

 private:
  void roll(Clock::time_point now);

  Clock::time_point window_start_{};
  uint64_t requests_ = 0;
  uint64_t retries_ = 0;
  uint64_t previous_requests_ = 0;
  uint64_t previous_retries_ = 0;
};

}  // namespace portico::proxy
