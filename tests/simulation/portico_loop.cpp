#include "tests/simulation/portico_loop.h"

#include "tests/simulation/hpa_reference.h"

namespace portico::simulation {

LoopOptions portico_loop_options() {
  LoopOptions options;
  options.name = "Portico";
  options.policy.meta.namespace_ = "shop";
  options.policy.meta.name = "web";
  options.policy.target_name = "web";
  options.policy.min_replicas = 0;
  options.policy.max_replicas = kMaxReplicas;
  options.policy.metrics = {
      controller::CpuMetric{kCpuTargetUtilization, std::nullopt},
      controller::QueueDepthMetric{"web", kQueueDepthTargetPerReplica, std::nullopt}};
  options.policy.behavior = hpa_default_behavior();
  options.policy.behavior.scale_up.policies = {
      {controller::ScalingRatePolicy::Type::kPercent, 900, 15},
      {controller::ScalingRatePolicy::Type::kPods, 4, 15}};
  options.policy.scale_to_zero.after = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::milliseconds(kScaleToZeroAfter));
  options.sync_period = 5 * kSecond;
  options.queue_depth_events = true;
  return options;
}

LoopOptions portico_in_flight_only_options() {
  LoopOptions options = portico_loop_options();
  options.name = "Portico, in-flight only";
  options.arrivals_counter = false;
  return options;
}

}  // namespace portico::simulation
