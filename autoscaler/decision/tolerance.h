#pragma once
// The tolerance band (the HPA's Tolerances.isWithin): a usage ratio, current over target,
// within [1 - scaleDown.tolerance, 1 + scaleUp.tolerance] is close enough to change nothing.
// Pure; any thread.
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

inline bool within_tolerance(double ratio, const controller::ScalingBehavior& behavior) {
  return 1.0 - behavior.scale_down.tolerance <= ratio && ratio <= 1.0 + behavior.scale_up.tolerance;
}

}  // namespace portico::autoscaler
