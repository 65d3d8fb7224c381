#include "autoscaler/decision/replica_decision.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "autoscaler/decision/metric_proposals.h"
#include "autoscaler/decision/rate_limits.h"
#include "autoscaler/decision/stabilizer.h"

namespace portico::autoscaler {
namespace {

using controller::ScalingPolicy;

Condition condition(std::string_view type, bool status, std::string_view reason,
                    std::string message) {
  return Condition{std::string(type), status, std::string(reason), std::move(message)};
}

std::string seconds_text(std::chrono::steady_clock::duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) + "s";
}

// The valid proposal asking for the most replicas (the first of equals, as the HPA keeps the
// first), and the first invalid one.
struct Tally {
  const MetricProposal* highest = nullptr;
  const MetricProposal* first_invalid = nullptr;
  std::size_t invalid = 0;
};

Tally tally(const std::vector<MetricProposal>& proposals) {
  Tally result;
  for (const MetricProposal& proposal : proposals) {
    if (!proposal.replicas) {
      if (result.invalid++ == 0) result.first_invalid = &proposal;
    } else if (result.highest == nullptr || *proposal.replicas > *result.highest->replicas) {
      result.highest = &proposal;
    }
  }
  return result;
}

Condition scaling_active(const Tally& tally, std::size_t metrics) {
  if (tally.first_invalid == nullptr && tally.highest == nullptr) {
    return condition("ScalingActive", false, "InvalidMetric", "the policy has no metrics");
  }
  if (tally.first_invalid != nullptr && tally.highest == nullptr) {
    return condition("ScalingActive", false, "InvalidMetric",
                     "the autoscaler could not compute a replica count from " +
                         tally.first_invalid->metric + ": " + tally.first_invalid->explanation);
  }
  std::string message = "the autoscaler computed the replica count from " + tally.highest->metric;
  if (tally.invalid > 0) {
    message += " (" + std::to_string(tally.invalid) + " of " + std::to_string(metrics) +
               " metrics invalid, first " + tally.first_invalid->metric + ": " +
               tally.first_invalid->explanation + ")";
  }
  return condition("ScalingActive", true, "ValidMetricFound", std::move(message));
}

// normalizeDesiredReplicasWithBehaviors: the stabilization windows, then the rate policies
// and [min_replicas, maxReplicas]. Records the recommendation and the AbleToScale and
// ScalingLimited conditions; returns the count, and what held it back for the Event.
struct Normalized {
  int32_t replicas = 0;
  std::string note;
};

Normalized normalize(Decision& decision, const ScalingPolicy& policy, int32_t current,
                     int32_t desired, int32_t min_replicas, TimePoint now) {
  Normalized result;
  const controller::ScalingBehavior& behavior = policy.behavior;
  const int32_t stabilized =
      stabilize(decision.history.recommendations, behavior, current, desired, now);
  if (stabilized == desired) {
    decision.conditions.push_back(condition("AbleToScale", true, "ReadyForNewScale",
                                            "recommended size matches current size"));
  } else if (desired >= current) {
    decision.conditions.push_back(
        condition("AbleToScale", true, "ScaleUpStabilized",
                  "recent recommendations were lower than current one, applying the lowest recent "
                  "recommendation"));
    result.note = "held at " + std::to_string(stabilized) + " by the " +
                  std::to_string(behavior.scale_up.stabilization_window_seconds) +
                  "s scale-up stabilization window";
  } else {
    decision.conditions.push_back(condition(
        "AbleToScale", true, "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent "
        "recommendation"));
    result.note = "held at " + std::to_string(stabilized) + " by the " +
                  std::to_string(behavior.scale_down.stabilization_window_seconds) +
                  "s scale-down stabilization window";
  }

  const RateLimited limited = limit_rate(current, stabilized, min_replicas, policy.max_replicas,
                                         decision.history, behavior, now);
  const bool is_limited = limited.replicas != stabilized;
  decision.conditions.push_back(
      condition("ScalingLimited", is_limited, limited.reason, std::string(limited.message)));
  if (is_limited) {
    if (!result.note.empty()) result.note += "; ";
    result.note +=
        "limited to " + std::to_string(limited.replicas) + ": " + std::string(limited.message);
  }
  result.replicas = limited.replicas;
  return result;
}

std::string with_note(const std::string& reason, const std::string& note) {
  return note.empty() ? reason : reason + "; " + note;
}

// The first prometheus metric reporting any work at all: an external backlog waiting, which
// keeps the target from zero and wakes it there, as KEDA's activation does.
const MetricProposal* backlog(const std::vector<MetricProposal>& proposals) {
  for (const MetricProposal& proposal : proposals) {
    if (proposal.metric == "prometheus" && proposal.value.value_or(0) > 0) return &proposal;
  }
  return nullptr;
}

// At zero with minReplicas 0: any request in flight, one within scaleToZero.after, or a
// prometheus backlog wakes the target to at least 1 at once; the metrics may ask for more,
// within the rate policies.
void decide_at_zero(const DecisionInput& input, const Tally& tally, Decision& decision) {
  const ScalingPolicy& policy = *input.policy;
  const auto after = policy.scale_to_zero.after;
  const bool recent_request = input.last_request && input.now - *input.last_request < after;
  const MetricProposal* waiting = backlog(decision.proposals);
  if (input.requests_in_flight == 0 && !recent_request && waiting == nullptr) {
    decision.desired_replicas = 0;
    decision.reason = "no requests at zero replicas";
    decision.conditions.push_back(
        condition("ScalingActive", false, controller::kScaledToZeroReason,
                  "scaled to zero: no requests within scaleToZero.after (" + seconds_text(after) +
                      "); the next request scales the target up"));
    return;
  }
  std::string reason;
  if (input.requests_in_flight > 0) {
    reason = std::to_string(input.requests_in_flight) +
             (input.requests_in_flight == 1 ? " request" : " requests") +
             " waiting at zero replicas";
  } else if (recent_request) {
    reason = "a request " + seconds_text(input.now - *input.last_request) + " ago at zero replicas";
  } else {
    reason = waiting->explanation;
  }
  const int32_t wanted = std::max(1, tally.highest ? *tally.highest->replicas : 1);
  if (wanted > 1 && tally.highest != waiting) reason += "; " + tally.highest->explanation;
  const Normalized normalized = normalize(decision, policy, 0, wanted, 1, input.now);
  // A rate policy may allow nothing from zero (a Percent of 0); the first replica comes anyway.
  decision.desired_replicas = std::max(1, normalized.replicas);
  decision.reason = normalized.replicas >= 1 ? with_note(reason, normalized.note) : reason;
  decision.conditions.push_back(
      condition("ScalingActive", true, controller::kScaleFromZeroReason, reason));
}

// The HPA's reconcileAutoscaler when the count is outside [minReplicas, maxReplicas]: back
// within bounds at once, no stabilization, no rate policy.
void decide_out_of_bounds(const ScalingPolicy& policy, int32_t current, const Tally& tally,
                          Decision& decision) {
  decision.conditions.push_back(scaling_active(tally, policy.metrics.size()));
  if (current > policy.max_replicas) {
    decision.desired_replicas = policy.max_replicas;
    decision.reason = "current replicas " + std::to_string(current) + " > maxReplicas " +
                      std::to_string(policy.max_replicas);
    decision.conditions.push_back(
        condition("ScalingLimited", true, "TooManyReplicas",
                  "the current replica count is more than the maximum replica count"));
  } else {
    decision.desired_replicas = policy.min_replicas;
    decision.reason = "current replicas " + std::to_string(current) + " < minReplicas " +
                      std::to_string(policy.min_replicas);
    decision.conditions.push_back(
        condition("ScalingLimited", true, "TooFewReplicas",
                  "the current replica count is less than the minimum replica count"));
  }
}

bool idle_long_enough(const DecisionInput& input, const std::vector<MetricProposal>& proposals) {
  return input.requests_in_flight == 0 && input.last_active &&
         input.now - *input.last_active >= input.policy->scale_to_zero.after &&
         backlog(proposals) == nullptr;
}

}  // namespace

Decision decide_replicas(const DecisionInput& input) {
  const ScalingPolicy& policy = *input.policy;
  const int32_t current = input.current_replicas;
  Decision decision;
  decision.history = input.history;
  // recordInitialRecommendation: the first decision remembers where the target stood, so a
  // restarted autoscaler does not scale down before a full window has passed.
  if (decision.history.recommendations.empty()) {
    decision.history.recommendations.push_back({input.now, current});
  }
  decision.proposals = propose_replicas(input);
  decision.backlog = backlog(decision.proposals) != nullptr;
  const Tally counts = tally(decision.proposals);

  if (current == 0) {
    if (policy.min_replicas == 0) {
      decide_at_zero(input, counts, decision);
      return decision;
    }
    // The HPA takes zero as a user's pause; the zero this autoscaler chose is not one, and a
    // policy no longer allowed zero brings the target back to its minimum.
    if (input.scaled_to_zero) {
      decision.desired_replicas = policy.min_replicas;
      decision.reason = "minReplicas " + std::to_string(policy.min_replicas) +
                        " no longer allows the zero the autoscaler chose";
      decision.conditions.push_back(
          condition("ScalingActive", true, controller::kScaleFromZeroReason, decision.reason));
      return decision;
    }
    decision.desired_replicas = 0;
    decision.reason =
        "scaling is disabled since the replica count of the target is zero and "
        "minReplicas is " +
        std::to_string(policy.min_replicas);
    decision.conditions.push_back(
        condition("ScalingActive", false, "ScalingDisabled", decision.reason));
    return decision;
  }
  if (current > policy.max_replicas || current < policy.min_replicas) {
    decide_out_of_bounds(policy, current, counts, decision);
    return decision;
  }

  // computeReplicasForMetrics: nothing to go on, or a scale-down that an unreadable metric
  // might contradict, keeps the count as it is.
  if (counts.highest == nullptr || (counts.invalid > 0 && *counts.highest->replicas < current)) {
    Condition active = counts.highest == nullptr
                           ? scaling_active(counts, policy.metrics.size())
                           : condition("ScalingActive", false, "InvalidMetric",
                                       "no scale-down while " + counts.first_invalid->metric +
                                           " is invalid: " + counts.first_invalid->explanation);
    decision.desired_replicas = current;
    decision.reason = active.message;
    decision.conditions.push_back(std::move(active));
    return decision;
  }
  decision.conditions.push_back(scaling_active(counts, policy.metrics.size()));

  // The metrics never take the target below 1; only the scale-to-zero rule below reaches 0.
  const Normalized normalized = normalize(decision, policy, current, *counts.highest->replicas,
                                          std::max(policy.min_replicas, 1), input.now);
  decision.desired_replicas = normalized.replicas;
  decision.reason = with_note(counts.highest->explanation, normalized.note);

  // Scale-down selectPolicy Disabled means never down, to zero included.
  if (policy.min_replicas == 0 && counts.invalid == 0 &&
      policy.behavior.scale_down.select != controller::SelectPolicy::kDisabled &&
      idle_long_enough(input, decision.proposals)) {
    decision.desired_replicas = 0;
    decision.reason = "no requests for " + seconds_text(input.now - *input.last_active) +
                      " (scaleToZero.after " + seconds_text(policy.scale_to_zero.after) +
                      ") and none in flight";
    decision.conditions = {condition("ScalingActive", true, controller::kScaleToZeroReason,
                                     "scaling to zero: " + decision.reason)};
  }
  return decision;
}

}  // namespace portico::autoscaler
