#include "autoscaler/decision/threshold_rule.h"

#include "autoscaler/decision/number_text.h"

namespace portico::autoscaler {

std::optional<std::string> threshold_problem(const controller::Thresholds& thresholds) {
  if (thresholds.step < 1) return "thresholds.step must be at least 1";
  if (thresholds.scale_down_below > thresholds.scale_up_above) {
    return "thresholds.scaleDownBelow must not be above thresholds.scaleUpAbove";
  }
  return std::nullopt;
}

int64_t threshold_replicas(const controller::Thresholds& thresholds, double value,
                           int32_t current) {
  if (value > thresholds.scale_up_above) return int64_t{current} + thresholds.step;
  if (value < thresholds.scale_down_below) return int64_t{current} - thresholds.step;
  return current;
}

std::string threshold_explanation(std::string_view measured, std::string_view unit,
                                  const controller::Thresholds& thresholds, double value) {
  std::string text(measured);
  if (value > thresholds.scale_up_above) {
    text.append(" > ").append(number_text(thresholds.scale_up_above)).append(unit);
    return text.append(" scale-up threshold");
  }
  if (value < thresholds.scale_down_below) {
    text.append(" < ").append(number_text(thresholds.scale_down_below)).append(unit);
    return text.append(" scale-down threshold");
  }
  text.append(" is between the thresholds ").append(number_text(thresholds.scale_down_below));
  text.append(unit).append(" and ").append(number_text(thresholds.scale_up_above));
  return text.append(unit);
}

}  // namespace portico::autoscaler
