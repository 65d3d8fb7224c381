#include "autoscaler/decision/total_replicas.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "autoscaler/decision/number_text.h"
#include "autoscaler/decision/threshold_rule.h"
#include "autoscaler/decision/tolerance.h"

namespace portico::autoscaler {
namespace {

// Totals and targets are compared in whole milli-units, as the HPA compares quantities, so a
// queue depth of 57 against 10 is exactly 6 replicas; past this the milli-units would not fit
// in 64 bits and doubles take over.
constexpr double kLargestExact = 1e15;

int64_t milli(double value) {
  return std::llround(value * 1000);
}

// A measured total in milli-units rounds up, as apimachinery's MilliValue() does for the
// HPA's metric values: then any total above target x current proposes more than current,
// which is the level total_scale_up_level() hands the signal. Rounded to the nearest, a
// total within half a milli-unit above it fired the signal's one evaluation per rise and
// proposed nothing, and the next scale-up waited for the tick.
int64_t milli_rounded_up(double value) {
  return static_cast<int64_t>(std::ceil(value * 1000));
}

// ceil(total / target), in replicas.
int64_t needed_replicas(double total, double target) {
  if (total < kLargestExact && target < kLargestExact && milli(target) > 0) {
    return (milli_rounded_up(total) + milli(target) - 1) / milli(target);
  }
  return static_cast<int64_t>(
      std::min(std::ceil(total / target), double(std::numeric_limits<int32_t>::max())));
}

int32_t to_replicas(int64_t replicas) {
  return static_cast<int32_t>(
      std::clamp<int64_t>(replicas, 0, std::numeric_limits<int32_t>::max()));
}

}  // namespace

MetricProposal propose_total(const TotalMetricSpec& spec, const TotalSample& sample,
                             int32_t current, int32_t ready,
                             const controller::ScalingBehavior& behavior) {
  MetricProposal proposal{std::string(spec.metric), std::nullopt, std::nullopt, {}};
  const std::string label(spec.label);
  if (!std::isfinite(sample.total) || sample.total < 0) {
    proposal.explanation = label + " " + number_text(sample.total) + " is not a usable value";
    return proposal;
  }
  const int32_t replicas_seen = std::max(ready, 1);
  const double per_replica = sample.total / replicas_seen;

  if (spec.thresholds) {
    if (std::optional<std::string> problem = threshold_problem(*spec.thresholds)) {
      proposal.explanation = std::move(*problem);
      return proposal;
    }
    proposal.value = per_replica;
    proposal.replicas = to_replicas(threshold_replicas(*spec.thresholds, per_replica, current));
    proposal.explanation = threshold_explanation(
        label + " " + number_text(per_replica) + " per replica", "", *spec.thresholds, per_replica);
    return proposal;
  }

  const double target = spec.target_per_replica.value_or(0);
  if (!(target >= 0.001) || !std::isfinite(target)) {
    proposal.explanation = std::string(spec.metric) + " needs a targetPerReplica of at least 0.001";
    return proposal;
  }
  proposal.value = per_replica;
  const std::string target_text = number_text(target) + " per replica";
  if (current == 0) {
    proposal.replicas = to_replicas(needed_replicas(sample.total, target));
    proposal.explanation =
        label + " " + number_text(sample.total) + " at zero replicas, " + target_text;
    return proposal;
  }
  const double ratio = sample.total / (target * replicas_seen);
  std::string comparison;
  if (within_tolerance(ratio, behavior)) {
    proposal.replicas = current;
    comparison = " is within tolerance of ";
  } else {
    proposal.replicas = to_replicas(needed_replicas(sample.total, target));
    comparison = ratio > 1.0 ? " > " : " < ";
  }
  proposal.explanation = label + " " + number_text(sample.total) + comparison + target_text +
                         " x " + std::to_string(replicas_seen);
  return proposal;
}

double total_scale_up_level(const TotalMetricSpec& spec, int32_t current, int32_t ready,
                            const controller::ScalingBehavior& behavior) {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  const double replicas_seen = std::max(ready, 1);
  if (spec.thresholds) {
    if (threshold_problem(*spec.thresholds)) return kNever;
    return current == 0 ? 0 : spec.thresholds->scale_up_above * replicas_seen;
  }
  const double target = spec.target_per_replica.value_or(0);
  if (!(target >= 0.001) || !std::isfinite(target)) return kNever;
  if (current == 0) return 0;
  const double above_current = target < kLargestExact
                                   ? static_cast<double>(milli(target)) * current / 1000
                                   : target * current;
  return std::max(above_current, target * replicas_seen * (1 + behavior.scale_up.tolerance));
}

}  // namespace portico::autoscaler
