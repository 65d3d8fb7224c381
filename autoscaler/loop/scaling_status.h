#pragma once
// A ScalingPolicy's status as the autoscaler reports it (docs/SCALING.md, status): what the
// last decision saw and asked for, and the HPA's three conditions, each keeping the time it
// last changed. Pure; the autoscaler's thread owns each value.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "autoscaler/decision/replica_decision.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

using WallTime = std::chrono::system_clock::time_point;

struct TrackedCondition {
  Condition condition;
  WallTime last_transition;
};

struct PolicyStatus {
  int32_t current_replicas = 0;
  int32_t desired_replicas = 0;
  std::optional<WallTime> last_scale_time;
  std::vector<MetricProposal> metrics;       // parallel to the policy's metrics
  std::vector<TrackedCondition> conditions;  // by type, in the order first set
};

// Sets each condition of `latest` in `kept`; a condition whose status changed takes `now` as
// its transition time, one that only changed reason or message keeps its time (as the HPA's
// setCondition does).
void update_conditions(std::vector<TrackedCondition>& kept, const std::vector<Condition>& latest,
                       WallTime now);

// `metric`'s target as text: "70%" (cpu), "10 per replica", "above 70, below 30, step 1".
std::string target_text(const controller::ScalingMetric& metric);

// The JSON merge patch for the status subresource: {"status": {...}} with every field, so that
// values from an earlier version of the policy do not linger.
std::string status_patch(const controller::ScalingPolicy& policy, const PolicyStatus& status);

// Whether a ScalingPolicy's JSON (as the API server returns it) has a status whose
// ScalingActive condition says the autoscaler took the target to zero or is bringing it back
// (controller::is_zero_reason()): what a new leader needs of its predecessor's status. Any
// other shape says no.
bool status_says_zero_was_chosen(const std::string& policy_json);

// True when the ScalingActive condition of `status` has such a reason: the leader's own view.
bool zero_was_chosen(const PolicyStatus& status);

}  // namespace portico::autoscaler
