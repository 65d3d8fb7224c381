#include "autoscaler/loop/evaluation_schedule.h"

namespace portico::autoscaler {

void EvaluationSchedule::evaluated(TimePoint now, TimePoint finished, bool succeeded) {
  const bool was_retry = retry_due(now);
  retry_for_event_ = for_event(now);
  event_pending_ = false;
  while (next_tick_ <= now) next_tick_ += sync_period_;
  if (succeeded) {
    retries_left_ = 0;
    return;
  }
  retries_left_ = was_retry ? retries_left_ - 1 : kFailureRetries;
  if (retries_left_ > 0) {
    retry_at_ = finished + kFirstRetryBackoff * (1 << (kFailureRetries - retries_left_));
  }
}

}  // namespace portico::autoscaler
