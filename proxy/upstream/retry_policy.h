#pragma once
// When a failed attempt is tried again on another endpoint, and how much load retries may
// add. A plain value in the snapshot, set by the controller from annotations.
#include <chrono>
#include <cstdint>
#include <vector>

namespace portico::proxy {

struct RetryPolicy {
  uint32_t retries = 2;  // further attempts after the first, each on a different endpoint
  bool on_connect_failure = true;
  bool on_reset = true;                          // the upstream closed before any response byte
  std::vector<uint16_t> on_statuses;             // e.g. {502, 503, 504}; empty: none
  std::chrono::milliseconds per_try_timeout{0};  // 0: the upstream timeout
  // Retries may add at most this fraction of the backend's requests (per worker, over the
  // last 10 s), plus a floor of min_retries_per_10s, so that retries never make an overload
  // worse (Envoy's retry budget, Finagle's RetryBudget).
  uint32_t budget_percent = 20;
  uint32_t min_retries_per_10s = 10;

  bool operator==(const RetryPolicy&) const = default;
};

// Per Service, over every worker: beyond a limit the proxy answers 503 at once. 0: no limit.
struct CircuitBreaker {
  uint32_t max_connections = 0;       // upstream connections open, pooled or busy
  uint32_t max_pending_requests = 0;  // requests waiting for an upstream connection
  uint32_t max_requests = 0;          // requests in flight

  bool operator==(const CircuitBreaker&) const = default;
};

}  // namespace portico::proxy
