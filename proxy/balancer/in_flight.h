#pragma once
// Counts one request against the endpoint serving it, for as long as it is in flight:
// least connections and power of two choices read these counts from every worker. A scope
// guard, so that every way out of a request (an error, a closed client, a worker forced to
// stop) gives the count back.
#include <atomic>

#include "proxy/snapshot/endpoint_state.h"

namespace portico::proxy {

// One per request, on its worker's thread; the counters it touches are relaxed atomics.
class InFlightRequest {
 public:
  InFlightRequest() = default;
  ~InFlightRequest() { release(); }
  InFlightRequest(const InFlightRequest&) = delete;
  InFlightRequest& operator=(const InFlightRequest&) = delete;

  // Counts the request against `state` instead of the endpoint it was counted against.
  void track(EndpointState& state) {
    release();
    state_ = &state;
    state.active_requests.fetch_add(1, std::memory_order_relaxed);
    state.total_requests.fetch_add(1, std::memory_order_relaxed);
  }
  void release() {
    if (state_ == nullptr) return;
    state_->active_requests.fetch_sub(1, std::memory_order_relaxed);
    state_ = nullptr;
  }

 private:
  EndpointState* state_ = nullptr;
};

// Holds one unit of a shared gauge (a backend's requests in flight, connections pending) for
// as long as it lives. A null gauge counts nothing.
class HeldCount {
 public:
  explicit HeldCount(std::atomic<int64_t>* gauge) : gauge_(gauge) {
    if (gauge_ != nullptr) gauge_->fetch_add(1, std::memory_order_relaxed);
  }
  ~HeldCount() {
    if (gauge_ != nullptr) gauge_->fetch_sub(1, std::memory_order_relaxed);
  }
  HeldCount(const HeldCount&) = delete;
  HeldCount& operator=(const HeldCount&) = delete;

 private:
  std::atomic<int64_t>* gauge_;
};

}  // namespace portico::proxy
