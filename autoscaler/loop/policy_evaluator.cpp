#include "autoscaler/loop/policy_evaluator.h"

namespace portico::autoscaler {
namespace {

Condition unable_to_scale(const std::string& reason, const std::string& message) {
  return Condition{"AbleToScale", false, reason, message};
}

}  // namespace

Evaluation evaluate_policy(const controller::ScalingPolicy& policy, PolicyState& state,
                           MetricReader& metrics, ScaleClient& scale, TimePoint now,
                           WallTime wall_now) {
  Evaluation evaluation;
  const ScaleTarget target{policy.meta.namespace_, policy.target_name};
  Result<Scale> current = scale.read(target);
  // A failed read or write of the scale: AbleToScale=False with `reason`, and the Event's text.
  const auto fail = [&](const char* reason, const std::string& failure) {
    evaluation.failure = failure;
    update_conditions(state.status.conditions, {unable_to_scale(reason, failure)}, wall_now);
    return evaluation;
  };
  if (!current) {
    return fail("FailedGetScale",
                "reading the scale of Deployment " + policy.target_name + ": " + current.error());
  }
  const Scale& seen = current.value();

  DecisionInput input;
  input.policy = &policy;
  input.current_replicas = seen.spec_replicas;
  input.ready_replicas = metrics.ready_replicas(policy).value_or(seen.status_replicas);
  for (const controller::ScalingMetric& metric : policy.metrics) {
    input.samples.push_back(metrics.read(policy, metric, seen));
  }
  input.requests_in_flight = state.requests_in_flight;
  input.last_request = state.last_request;
  input.last_active = state.last_active;
  input.scaled_to_zero = state.zero_chosen_before.value_or(false) || zero_was_chosen(state.status);
  input.history = state.history;
  input.now = now;
  Decision decision = decide_replicas(input);
  state.history = std::move(decision.history);
  if (decision.backlog) state.last_active = now;
  evaluation.reason = decision.reason;
  state.status.current_replicas = seen.spec_replicas;
  state.status.desired_replicas = decision.desired_replicas;
  state.status.metrics = decision.proposals;
  update_conditions(state.status.conditions, decision.conditions, wall_now);

  if (decision.desired_replicas == seen.spec_replicas) return evaluation;
  Result<ScaleOutcome> written =
      scale_to(scale, target, seen.spec_replicas, decision.desired_replicas);
  if (!written) {
    return fail("FailedUpdateScale",
                "writing the scale of Deployment " + policy.target_name + ": " + written.error());
  }
  if (!written.value().written) return evaluation;  // someone else set it meanwhile
  evaluation.scaled = true;
  evaluation.from = written.value().previous;
  evaluation.to = decision.desired_replicas;
  record_scale_event(state.history, policy.behavior, evaluation.from, evaluation.to, now);
  state.status.current_replicas = evaluation.to;
  state.status.last_scale_time = wall_now;
  update_conditions(
      state.status.conditions,
      {Condition{"AbleToScale", true, "SucceededRescale",
                 "the autoscaler set the replica count to " + std::to_string(evaluation.to)}},
      wall_now);
  return evaluation;
}

}  // namespace portico::autoscaler
