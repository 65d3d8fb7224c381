#include "autoscaler/loop/scaling_status.h"

#include <algorithm>
#include <variant>

#include <cpprest/json.h>

#include "autoscaler/decision/number_text.h"
#include "controller/election/rfc3339_format.h"

namespace portico::autoscaler {
namespace {

using web::json::value;

std::string threshold_text(const controller::Thresholds& thresholds) {
  return "above " + number_text(thresholds.scale_up_above) + ", below " +
         number_text(thresholds.scale_down_below) + ", step " + std::to_string(thresholds.step);
}

template <typename Metric>
std::string per_replica_target(const Metric& metric) {
  if (metric.thresholds) return threshold_text(*metric.thresholds);
  return number_text(metric.target_per_replica.value_or(0)) + " per replica";
}

std::string metric_name(const controller::ScalingMetric& metric) {
  return std::visit(
      [](const auto& typed) -> std::string {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, controller::CpuMetric>) {
          return "cpu";
        } else if constexpr (std::is_same_v<T, controller::QueueDepthMetric>) {
          return "queueDepth/" + typed.service;
        } else {
          return "prometheus";
        }
      },
      metric);
}

}  // namespace

void update_conditions(std::vector<TrackedCondition>& kept, const std::vector<Condition>& latest,
                       WallTime now) {
  for (const Condition& condition : latest) {
    auto it = std::find_if(kept.begin(), kept.end(), [&](const TrackedCondition& tracked) {
      return tracked.condition.type == condition.type;
    });
    if (it == kept.end()) {
      kept.push_back(TrackedCondition{condition, now});
    } else {
      if (it->condition.status != condition.status) it->last_transition = now;
      it->condition = condition;
    }
  }
}

std::string target_text(const controller::ScalingMetric& metric) {
  return std::visit(
      [](const auto& typed) -> std::string {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, controller::CpuMetric>) {
          if (typed.thresholds) return threshold_text(*typed.thresholds);
          return std::to_string(typed.target_utilization.value_or(0)) + "%";
        } else {
          return per_replica_target(typed);
        }
      },
      metric);
}

std::string status_patch(const controller::ScalingPolicy& policy, const PolicyStatus& status) {
  value body = value::object();
  body["currentReplicas"] = value::number(status.current_replicas);
  body["desiredReplicas"] = value::number(status.desired_replicas);
  body["lastScaleTime"] = status.last_scale_time
                              ? value::string(controller::format_rfc3339(
                                    *status.last_scale_time, controller::TimePrecision::kSeconds))
                              : value::null();
  value metrics = value::array();
  for (std::size_t i = 0; i < policy.metrics.size() && i < status.metrics.size(); ++i) {
    const MetricProposal& proposal = status.metrics[i];
    value entry = value::object();
    entry["name"] = value::string(metric_name(policy.metrics[i]));
    entry["value"] =
        proposal.value ? value::string(number_text(*proposal.value)) : value::string("unknown");
    entry["target"] = value::string(target_text(policy.metrics[i]));
    metrics[metrics.size()] = std::move(entry);
  }
  body["currentMetrics"] = std::move(metrics);
  value conditions = value::array();
  for (const TrackedCondition& tracked : status.conditions) {
    value entry = value::object();
    entry["type"] = value::string(tracked.condition.type);
    entry["status"] = value::string(tracked.condition.status ? "True" : "False");
    entry["reason"] = value::string(tracked.condition.reason);
    entry["message"] = value::string(tracked.condition.message);
    entry["lastTransitionTime"] = value::string(
        controller::format_rfc3339(tracked.last_transition, controller::TimePrecision::kSeconds));
    conditions[conditions.size()] = std::move(entry);
  }
  body["conditions"] = std::move(conditions);
  value patch = value::object();
  patch["status"] = std::move(body);
  return patch.serialize();
}

bool status_says_zero_was_chosen(const std::string& policy_json) {
  std::error_code error;
  const value policy = value::parse(policy_json, error);
  if (error || !policy.is_object() || !policy.has_object_field("status")) return false;
  const value& status = policy.at("status");
  if (!status.has_array_field("conditions")) return false;
  for (const value& condition : status.at("conditions").as_array()) {
    if (!condition.is_object() || !condition.has_string_field("type") ||
        condition.at("type").as_string() != "ScalingActive") {
      continue;
    }
    return condition.has_string_field("reason") &&
           controller::is_zero_reason(condition.at("reason").as_string());
  }
  return false;
}

bool zero_was_chosen(const PolicyStatus& status) {
  for (const TrackedCondition& tracked : status.conditions) {
    if (tracked.condition.type == "ScalingActive") {
      return controller::is_zero_reason(tracked.condition.reason);
    }
  }
  return false;
}

}  // namespace portico::autoscaler
