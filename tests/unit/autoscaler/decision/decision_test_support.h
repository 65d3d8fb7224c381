#pragma once
// Builders shared by the decision tests: policies with the HPA's default behavior (what the
// ScalingPolicy decoder fills in), a virtual clock, and pods shaped like the ones
// replica_calculator_test.go builds.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "autoscaler/decision/replica_decision.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler::testing {

using controller::ScalingBehavior;
using controller::ScalingRatePolicy;
using controller::ScalingRules;
using controller::SelectPolicy;

// Virtual time: seconds after an arbitrary origin, far enough from the clock's epoch that
// windows reaching back never underflow.
inline TimePoint at(double seconds) {
  return TimePoint{} + std::chrono::hours(24) +
         std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(seconds));
}

inline ScalingRatePolicy pods(int32_t value, int32_t period_seconds) {
  return {ScalingRatePolicy::Type::kPods, value, period_seconds};
}

inline ScalingRatePolicy percent(int32_t value, int32_t period_seconds) {
  return {ScalingRatePolicy::Type::kPercent, value, period_seconds};
}

// autoscaling/v2 defaults: scale up by max(4 Pods, 100 %) per 15 s with no window; scale down
// by 100 % per 15 s after a 300 s window; 10 % tolerance both ways.
inline ScalingBehavior hpa_default_behavior() {
  ScalingBehavior behavior;
  behavior.scale_up = {0, {pods(4, 15), percent(100, 15)}, SelectPolicy::kMax, 0.1};
  behavior.scale_down = {300, {percent(100, 15)}, SelectPolicy::kMax, 0.1};
  return behavior;
}

// horizontal_test.go generateScalingRules: a Pods and/or a Percent policy (0 leaves it out),
// selectPolicy Max.
inline ScalingRules rules(int32_t pods_value, int32_t pods_period, int32_t percent_value,
                          int32_t percent_period, int32_t window_seconds) {
  ScalingRules result{window_seconds, {}, SelectPolicy::kMax, 0.1};
  if (pods_value != 0) result.policies.push_back(pods(pods_value, pods_period));
  if (percent_value != 0) result.policies.push_back(percent(percent_value, percent_period));
  return result;
}

inline controller::ScalingPolicy policy_with(std::vector<controller::ScalingMetric> metrics,
                                             int32_t min_replicas, int32_t max_replicas) {
  controller::ScalingPolicy policy;
  policy.target_name = "web";
  policy.min_replicas = min_replicas;
  policy.max_replicas = max_replicas;
  policy.metrics = std::move(metrics);
  policy.behavior = hpa_default_behavior();
  return policy;
}

inline controller::CpuMetric cpu_target(int32_t utilization) {
  controller::CpuMetric metric;
  metric.target_utilization = utilization;
  return metric;
}

inline controller::QueueDepthMetric queue_target(double per_replica) {
  controller::QueueDepthMetric metric;
  metric.service = "web";
  metric.target_per_replica = per_replica;
  return metric;
}

// One pod as replica_calculator_test.go builds it: two containers, each requesting
// `request_milli` and (when it has metrics) using `level_milli`.
struct PodSpec {
  int64_t request_milli = 1000;
  std::optional<int64_t> level_milli;
  bool ready = true;
  PodSample::Phase phase = PodSample::Phase::kRunning;
};

inline CpuSample cpu_sample(const std::vector<PodSpec>& specs) {
  CpuSample sample;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    PodSample pod;
    pod.name = "test-pod-" + std::to_string(i);
    pod.phase = specs[i].phase;
    pod.ready = specs[i].ready;
    pod.cpu_request_milli = 2 * specs[i].request_milli;
    if (specs[i].level_milli) pod.cpu_usage_milli = 2 * *specs[i].level_milli;
    sample.pods.push_back(pod);
  }
  return sample;
}

}  // namespace portico::autoscaler::testing
