#pragma once
// Portico in front of the Deployment, for one Service: it sends each request to the ready pod
// with the fewest requests in flight, queues requests when every pod is busy, and holds them
// (bounded, with a timeout) while no pod is ready, as it does at zero replicas. Its queue
// depth (in flight + waiting) is the signal the autoscaler reads. Single-threaded.
#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <vector>

#include "tests/simulation/deployment_model.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct ProxyOptions {
  // The scaleToZero queue: at most this many requests held while no pod is ready...
  uint32_t hold_queue_size = 100;
  // ...each for at most this long; a request waiting for a busy pod has the same limit.
  Millis wait_timeout = 60 * kSecond;
};

struct RequestCounts {
  int64_t arrived = 0;
  int64_t served = 0;           // finished on a pod
  int64_t held = 0;             // arrived while no pod was ready
  int64_t failed_overflow = 0;  // 503: the hold queue was full
  int64_t failed_timeout = 0;   // 503: waited longer than wait_timeout
  Millis max_wait = 0;          // longest time a served request waited at the proxy

  int64_t failed() const { return failed_overflow + failed_timeout; }
};

class ProxyModel {
 public:
  ProxyModel(Deployment& deployment, const ProxyOptions& options);

  // Finishes every request due by `t`, in time order, giving each freed slot to the oldest
  // waiting request.
  void run_until(Millis t);
  // A request arriving at `t` (after run_until(t)) that occupies a pod slot for `service`.
  void arrive(Millis t, Millis service);
  // Gives waiting requests to pods that became ready by `now` and fails those past their
  // timeout.
  void dispatch(Millis now);

  // In flight on pods (terminating ones included) plus waiting or held at the proxy.
  int64_t queue_depth() const { return in_flight_ + static_cast<int64_t>(waiting_.size()); }
  std::optional<Millis> last_arrival() const { return last_arrival_; }
  const RequestCounts& counts() const { return counts_; }

 private:
  struct Waiting {
    Millis arrived = 0;
    Millis service = 0;
  };
  struct Completion {
    Millis at = 0;
    int64_t pod_id = 0;
    bool operator>(const Completion& other) const { return at > other.at; }
  };

  // The ready pod with a free slot and the fewest requests in flight; -1 when none.
  int64_t pick_pod(Millis now) const;
  void start(int64_t pod_id, Millis now, const Waiting& request);
  void drain_waiting(Millis now);

  Deployment& deployment_;
  ProxyOptions options_;
  std::deque<Waiting> waiting_;
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> completions_;
  int64_t in_flight_ = 0;
  std::optional<Millis> last_arrival_;
  RequestCounts counts_;
};

}  // namespace portico::simulation
