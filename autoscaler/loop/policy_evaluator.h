#pragma once
// One evaluation of one ScalingPolicy: read the target's scale, sample each metric, decide
// (decide_replicas), write the scale only when the count changes, and fold the outcome into
// the policy's status. No clock reads and no API client of its own: the scale client and the
// metric reader are seams, so the whole step is tested with scripted ones. The autoscaler's
// thread.
#include <cstdint>
#include <optional>
#include <string>

#include "autoscaler/decision/replica_decision.h"
#include "autoscaler/loop/metric_reader.h"
#include "autoscaler/loop/scaling_status.h"
#include "autoscaler/scale/scale_client.h"

namespace portico::autoscaler {

// What the loop keeps per policy between evaluations.
struct PolicyState {
  RecommendationHistory history;
  // Scale to zero: when a request was last seen for the policy's queue-depth Services; when
  // the target was last active (a request, or a prometheus backlog; seeded with the time the
  // loop started watching); and how many requests are in flight or held now, over every
  // Portico replica.
  std::optional<TimePoint> last_request;
  std::optional<TimePoint> last_active;
  int64_t requests_in_flight = 0;
  // Whether the status an earlier leader wrote says it took the target to zero (unset until
  // read): a zero the autoscaler chose is no user's pause.
  std::optional<bool> zero_chosen_before;
  PolicyStatus status;
};

struct Evaluation {
  bool scaled = false;  // a write changed the replica count
  int32_t from = 0;
  int32_t to = 0;
  std::string reason;   // the decision's reason, for the Event
  std::string failure;  // set when the scale could not be read or written
};

Evaluation evaluate_policy(const controller::ScalingPolicy& policy, PolicyState& state,
                           MetricReader& metrics, ScaleClient& scale, TimePoint now,
                           WallTime wall_now);

}  // namespace portico::autoscaler
