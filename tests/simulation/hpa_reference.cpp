#include "tests/simulation/hpa_reference.h"

namespace portico::simulation {

controller::ScalingBehavior hpa_default_behavior() {
  using Rate = controller::ScalingRatePolicy;
  controller::ScalingBehavior behavior;
  behavior.scale_up.stabilization_window_seconds = 0;
  behavior.scale_up.policies = {{Rate::Type::kPercent, 100, 15}, {Rate::Type::kPods, 4, 15}};
  behavior.scale_up.select = controller::SelectPolicy::kMax;
  behavior.scale_up.tolerance = 0.1;
  behavior.scale_down.stabilization_window_seconds = 300;
  behavior.scale_down.policies = {{Rate::Type::kPercent, 100, 15}};
  behavior.scale_down.select = controller::SelectPolicy::kMax;
  behavior.scale_down.tolerance = 0.1;
  return behavior;
}

LoopOptions hpa_reference_options() {
  LoopOptions options;
  options.name = "HPA reference";
  options.policy.meta.namespace_ = "shop";
  options.policy.meta.name = "web-hpa";
  options.policy.target_name = "web";
  options.policy.min_replicas = 1;
  options.policy.max_replicas = kMaxReplicas;
  options.policy.metrics = {controller::CpuMetric{kCpuTargetUtilization, std::nullopt}};
  options.policy.behavior = hpa_default_behavior();
  options.sync_period = 15 * kSecond;
  return options;
}

}  // namespace portico::simulation
