#include "autoscaler/decision/cpu_replicas.h"

#include <algorithm>
#include <limits>
#include <string>

#include "autoscaler/decision/number_text.h"
#include "autoscaler/decision/threshold_rule.h"
#include "autoscaler/decision/tolerance.h"

namespace portico::autoscaler {
namespace {

// The pods sorted the way groupPods sorts them, summed rather than listed.
struct PodGroups {
  int64_t ready = 0;
  int64_t ready_usage = 0;
  int64_t ready_request = 0;
  int64_t missing = 0;  // running without metrics
  int64_t missing_request = 0;
  int64_t missing_fallback_usage = 0;  // each at max(100 %, target) of its request
  int64_t unready = 0;                 // pending, or running but not ready
  int64_t unready_request = 0;
};

PodGroups group(const CpuSample& sample, int64_t fallback_percent) {
  PodGroups groups;
  for (const PodSample& pod : sample.pods) {
    if (pod.phase == PodSample::Phase::kIgnored) continue;
    if (pod.phase == PodSample::Phase::kPending || (pod.cpu_usage_milli && !pod.ready)) {
      ++groups.unready;
      groups.unready_request += pod.cpu_request_milli;
    } else if (!pod.cpu_usage_milli) {
      ++groups.missing;
      groups.missing_request += pod.cpu_request_milli;
      groups.missing_fallback_usage += pod.cpu_request_milli * fallback_percent / 100;
    } else {
      ++groups.ready;
      groups.ready_usage += *pod.cpu_usage_milli;
      groups.ready_request += pod.cpu_request_milli;
    }
  }
  return groups;
}

int64_t utilization_percent(int64_t usage, int64_t request) {
  return usage * 100 / request;
}

// ceil(utilization x pods / target), exactly.
int64_t replicas_for(int64_t utilization, int64_t pods, int64_t target) {
  return (utilization * pods + target - 1) / target;
}

int32_t to_replicas(int64_t replicas) {
  return static_cast<int32_t>(
      std::clamp<int64_t>(replicas, 0, std::numeric_limits<int32_t>::max()));
}

MetricProposal invalid(std::string reason) {
  return MetricProposal{"cpu", std::nullopt, std::nullopt, std::move(reason)};
}

// GetResourceReplicas once the pods are grouped and the first utilization taken.
int64_t target_replicas(const PodGroups& groups, int64_t utilization, int64_t target,
                        int32_t current, const controller::ScalingBehavior& behavior) {
  const double ratio = double(utilization) / double(target);
  const bool scale_up_with_unready = groups.unready > 0 && ratio > 1.0;
  if (!scale_up_with_unready && groups.missing == 0) {
    if (within_tolerance(ratio, behavior)) return current;
    return replicas_for(utilization, groups.ready, target);
  }

  int64_t usage = groups.ready_usage;
  int64_t request = groups.ready_request;
  int64_t pods = groups.ready;
  if (groups.missing > 0 && ratio != 1.0) {
    if (ratio < 1.0) usage += groups.missing_fallback_usage;
    request += groups.missing_request;
    pods += groups.missing;
  }
  if (scale_up_with_unready) {
    request += groups.unready_request;
    pods += groups.unready;
  }
  const int64_t new_utilization = utilization_percent(usage, request);
  const double new_ratio = double(new_utilization) / double(target);
  if (within_tolerance(new_ratio, behavior) || (ratio < 1.0 && new_ratio > 1.0) ||
      (ratio > 1.0 && new_ratio < 1.0)) {
    return current;
  }
  const int64_t replicas = replicas_for(new_utilization, pods, target);
  if ((new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current)) {
    return current;
  }
  return replicas;
}

std::string pod_note(const PodGroups& groups) {
  std::string note;
  if (groups.unready > 0) note = std::to_string(groups.unready) + " not ready";
  if (groups.missing > 0) {
    if (!note.empty()) note += ", ";
    note += std::to_string(groups.missing) + " without metrics";
  }
  return note.empty() ? note : " (" + note + ")";
}

std::string target_explanation(int64_t utilization, int64_t target, double ratio,
                               const PodGroups& groups,
                               const controller::ScalingBehavior& behavior) {
  std::string text = "cpu utilization " + std::to_string(utilization) + "%";
  if (within_tolerance(ratio, behavior)) {
    text += " is within tolerance of ";
  } else {
    text += ratio > 1.0 ? " > " : " < ";
  }
  return text + std::to_string(target) + "% target" + pod_note(groups);
}

}  // namespace

MetricProposal propose_cpu(const controller::CpuMetric& metric, const CpuSample& sample,
                           int32_t current, const controller::ScalingBehavior& behavior) {
  if (sample.pods.empty()) return invalid("no pods of the target were found");
  // The HPA checks every pod it lists, ignored ones included.
  for (const PodSample& pod : sample.pods) {
    if (pod.cpu_request_milli <= 0) {
      return invalid("pod " + pod.name +
                     " has a container without a CPU request; cpu utilization needs one on "
                     "every container");
    }
  }
  const int64_t target = metric.target_utilization.value_or(0);
  if (!metric.thresholds && target <= 0) {
    return invalid("cpu needs a positive targetUtilization or thresholds");
  }
  if (metric.thresholds) {
    if (std::optional<std::string> problem = threshold_problem(*metric.thresholds)) {
      return invalid(std::move(*problem));
    }
  }

  const PodGroups groups = group(sample, std::max<int64_t>(100, target));
  if (groups.ready == 0) {
    return invalid("no ready pod has CPU metrics yet" + pod_note(groups));
  }
  const int64_t utilization = utilization_percent(groups.ready_usage, groups.ready_request);

  MetricProposal proposal{"cpu", double(utilization), std::nullopt, {}};
  if (metric.thresholds) {
    proposal.replicas =
        to_replicas(threshold_replicas(*metric.thresholds, double(utilization), current));
    proposal.explanation =
        threshold_explanation("cpu utilization " + std::to_string(utilization) + "%", "%",
                              *metric.thresholds, double(utilization));
    return proposal;
  }
  proposal.replicas = to_replicas(target_replicas(groups, utilization, target, current, behavior));
  proposal.explanation = target_explanation(utilization, target,
                                            double(utilization) / double(target), groups, behavior);
  return proposal;
}

}  // namespace portico::autoscaler
