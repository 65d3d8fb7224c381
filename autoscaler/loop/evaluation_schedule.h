#pragma once
// When the loop evaluates one policy: on its tick, every `sync_period` from the first
// evaluation; at once on an event (the queue-depth signal rose past the level that asks for
// more replicas, or a request arrived at zero replicas); and after an evaluation that failed on
// the API (a 5xx, a 409 past every re-read), again after 100, 200 and 400 ms rather than at the
// next tick: a 5xx is usually transient, and an event's whole point is not waiting for the tick.
// The real loop and the simulation keep one each. Pure: time is passed in; one owner thread.
#include <chrono>

#include "autoscaler/decision/recommendation_history.h"

namespace portico::autoscaler {

class EvaluationSchedule {
 public:
  static constexpr int kFailureRetries = 3;
  static constexpr std::chrono::milliseconds kFirstRetryBackoff{100};

  EvaluationSchedule(std::chrono::milliseconds sync_period, TimePoint first_tick)
      : sync_period_(sync_period), next_tick_(first_tick) {}

  // An event: the next due() is true, whatever the tick.
  void request() { event_pending_ = true; }
  bool due(TimePoint now) const { return now >= next_tick_ || event_pending_ || retry_due(now); }
  // Whether the evaluation due at `now` answers an event or retries one that did, rather than
  // the tick. For the simulation's records.
  bool for_event(TimePoint now) const {
    return now < next_tick_ && (event_pending_ || retry_for_event_);
  }
  // After an evaluation begun at `now`; `finished` is when its API calls ended, from which a
  // retry's back-off counts.
  void evaluated(TimePoint now, TimePoint finished, bool succeeded);

 private:
  bool retry_due(TimePoint now) const { return retries_left_ > 0 && now >= retry_at_; }

  const std::chrono::milliseconds sync_period_;
  TimePoint next_tick_;
  bool event_pending_ = false;
  int retries_left_ = 0;
  TimePoint retry_at_;
  bool retry_for_event_ = false;
};

}  // namespace portico::autoscaler
