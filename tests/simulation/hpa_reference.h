#pragma once
// The HPA reference baseline: what a HorizontalPodAutoscaler with its defaults does on the
// same Deployment. It runs the same decision rules (decide_replicas follows the HPA's, which
// its unit tests hold it to) with the HPA's inputs: a 15 s sync period, the CPU metric only,
// read from metrics-server, minReplicas 1. What the comparison measures is therefore the
// signal and the reaction time, which is what Portico claims to improve. Pure.
#include "controller/model/scaling_policy.h"
#include "tests/simulation/autoscaler_loop.h"

namespace portico::simulation {

// autoscaling/v2 behavior defaults, set explicitly because no decoder runs here. Scale-up:
// no window, the larger of +100 % and +4 pods per 15 s. Scale-down: a 300 s window, -100 %
// per 15 s. Tolerance 0.1.
controller::ScalingBehavior hpa_default_behavior();

inline constexpr int32_t kMaxReplicas = 50;
inline constexpr int32_t kCpuTargetUtilization = 70;

LoopOptions hpa_reference_options();

}  // namespace portico::simulation
