#pragma once
// The plain threshold form from the load-balancing literature ("add replicas above 70 % CPU,
// remove below 30 %"): a value above scale_up_above adds `step` replicas, below
// scale_down_below removes `step`, in between holds. No tolerance: the gap between the two
// thresholds is the band. Pure; any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// Why `thresholds` cannot be used (a step below 1, scaleDownBelow above scaleUpAbove), if so.
std::optional<std::string> threshold_problem(const controller::Thresholds& thresholds);

int64_t threshold_replicas(const controller::Thresholds& thresholds, double value, int32_t current);

// `measured` is the value as it reads ("cpu utilization 85%", "queue depth 19 per replica");
// `unit` follows each threshold ("%" or ""): "cpu utilization 85% > 80% scale-up threshold".
std::string threshold_explanation(std::string_view measured, std::string_view unit,
                                  const controller::Thresholds& thresholds, double value);

}  // namespace portico::autoscaler
