#pragma once
// The autoscaler's decision, as one pure function: (policy, current replicas, metric samples,
// recommendation history, now) -> desired replicas, following autoscaling/v2's
// HorizontalPodAutoscaler rules (replica_calculator.go and normalizeDesiredReplicasWithBehaviors
// in kubernetes/pkg/controller/podautoscaler) and then improving on its inputs: queue depth is
// read at the proxy, where it does not saturate, so one decision meets a 10x step.
// Pure and deterministic; any thread. Time is passed in, never read.
//
// Where it departs from the HPA, on purpose:
// - replica counts are computed in exact integer arithmetic (ceil(utilization x pods / target)),
//   where the HPA multiplies doubles and can land one replica off on an exact product;
// - a total metric is compared per ready replica, where the HPA's external AverageValue
//   divides by status.replicas (pods that exist, ready or not);
// - minReplicas 0 scales to zero (KEDA-like, the HPA never does): see DecisionInput.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "autoscaler/decision/recommendation_history.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// One pod of the target, as the CPU metric sees it (metrics.k8s.io PodMetrics + the Pod).
struct PodSample {
  enum class Phase {
    kRunning,
    kPending,  // counts as idle on a scale-up and is left out otherwise (HPA: unready)
    kIgnored,  // being deleted, or Failed: left out entirely
  };
  std::string name;
  Phase phase = Phase::kRunning;
  // For a running pod with metrics: Ready and its sample taken after the CPU initialization
  // period (the HPA's groupPods rule, applied by the caller). A running pod that is not ready
  // counts as idle on a scale-up and is left out otherwise.
  bool ready = false;
  // Usage from metrics.k8s.io, in millicores; unset when the pod has no metrics (yet): such a
  // running pod counts as idle on a scale-up and as using its request on a scale-down.
  std::optional<int64_t> cpu_usage_milli;
  // Sum of the containers' CPU requests in millicores; 0 means some container has none,
  // which makes the CPU metric invalid.
  int64_t cpu_request_milli = 0;
};

struct CpuSample {
  std::vector<PodSample> pods;
};

// A total over the target (queue depth summed over every Portico replica, or a Prometheus
// query's value), compared per ready replica with the metric's target.
struct TotalSample {
  double total = 0;
};

// A metric that could not be read this time ("metrics.k8s.io unavailable", "query returned
// no sample"): no scale-down (and no scale to zero) happens while any metric is invalid.
struct InvalidSample {
  std::string reason;
};

using MetricSample = std::variant<CpuSample, TotalSample, InvalidSample>;

// Conditions as the HPA names them, with reasons a user can act on.
struct Condition {
  std::string type;  // "AbleToScale", "ScalingActive", "ScalingLimited"
  bool status = false;
  // AbleToScale: ScaleUpStabilized, ScaleDownStabilized, ReadyForNewScale.
  // ScalingActive: ValidMetricFound, InvalidMetric, ScalingDisabled, ScaledToZero,
  //   ScaleToZero, ScaleFromZero.
  // ScalingLimited: TooFewReplicas, TooManyReplicas, ScaleUpLimit, ScaleDownLimit,
  //   DesiredWithinRange.
  std::string reason;
  std::string message;
};

// Per metric, what it proposed, for status, metrics and the Event's reason.
struct MetricProposal {
  std::string metric;               // "cpu", "queueDepth", "prometheus"
  std::optional<double> value;      // cpu: utilization percent; others: per ready replica
  std::optional<int32_t> replicas;  // unset when invalid
  std::string explanation;          // "queue depth 57 > 10 per replica x 3", or why invalid
};

struct Decision {
  int32_t desired_replicas = 0;
  std::vector<MetricProposal> proposals;  // parallel to policy.metrics
  // The conditions this decision determined; a type left out keeps its previous value, as
  // the HPA leaves it. The caller sets AbleToScale false itself when the scale write fails.
  std::vector<Condition> conditions;
  std::string reason;             // why this count, for the Event ("cpu utilization 95% > 70%
                                  // target"); also set when the count does not change
  RecommendationHistory history;  // to pass to the next decision
  // A prometheus metric reported work waiting: the target is active, as with a request.
  bool backlog = false;
};

struct DecisionInput {
  const controller::ScalingPolicy* policy = nullptr;
  int32_t current_replicas = 0;       // spec.replicas of the scale subresource
  int32_t ready_replicas = 0;         // for the total metrics' per-replica value (at least 1)
  std::vector<MetricSample> samples;  // parallel to policy->metrics
  // Scale to zero (policy minReplicas 0): requests in flight or held at Portico for the
  // target's Services right now; when the last request arrived; and when the target was last
  // active (a request, or a backlog a prometheus metric reported), which the caller seeds with
  // the time it started watching (a restart must not read as hours of idleness, nor as a
  // request). At 0 replicas, a request in flight, one within scale_to_zero.after, or a
  // prometheus backlog means at least 1 at once, whatever the stabilization window and rate
  // policies say. Inactive for scale_to_zero.after with nothing in flight, no backlog and every
  // metric valid means 0, straight away; unset last_active means never.
  int64_t requests_in_flight = 0;
  std::optional<TimePoint> last_request;
  std::optional<TimePoint> last_active;
  // The target is at zero because this autoscaler took it there (not a user's pause, which
  // the HPA's rule for a target at zero with minReplicas above 0 respects).
  bool scaled_to_zero = false;
  RecommendationHistory history;
  TimePoint now;
};

Decision decide_replicas(const DecisionInput& input);

}  // namespace portico::autoscaler
