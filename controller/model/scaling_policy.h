#pragma once
// autoscaling.portico.io/v1alpha1 ScalingPolicy: which Deployment to scale, on which metrics,
// how fast. The behavior fields mean exactly what autoscaling/v2 HorizontalPodAutoscaler's
// do; the decoder fills the HPA's defaults, so a decoded policy never has an unset rule.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "controller/model/object_meta.h"

namespace portico::controller {

inline constexpr char kScalingPolicyApiVersion[] = "autoscaling.portico.io/v1alpha1";

// The plain threshold form: above `scale_up_above` add `step` replicas, below
// `scale_down_below` remove `step`, in between hold. Values are in the metric's unit
// (percent of CPU request for cpu, requests per replica for queue depth and Prometheus).
struct Thresholds {
  double scale_up_above = 0;
  double scale_down_below = 0;
  int32_t step = 1;

  bool operator==(const Thresholds&) const = default;
};

// `cpu: {targetUtilization: 70}`: percent of the pods' CPU requests.
struct CpuMetric {
  std::optional<int32_t> target_utilization;  // exactly one of target and thresholds is set
  std::optional<Thresholds> thresholds;

  bool operator==(const CpuMetric&) const = default;
};

// `queueDepth: {targetPerReplica: 10, service: NAME}`: requests in flight or held at Portico
// for the Service (same namespace), summed over every Portico replica.
struct QueueDepthMetric {
  std::string service;
  std::optional<double> target_per_replica;
  std::optional<Thresholds> thresholds;

  bool operator==(const QueueDepthMetric&) const = default;
};

// `prometheus: {url, query, targetPerReplica}`: an external backlog; the query must return
// one scalar or a one-sample vector.
struct PrometheusMetric {
  std::string url;  // the server's base URL, "http://prometheus.monitoring:9090"
  std::string query;
  std::optional<double> target_per_replica;
  std::optional<Thresholds> thresholds;

  bool operator==(const PrometheusMetric&) const = default;
};

using ScalingMetric = std::variant<CpuMetric, QueueDepthMetric, PrometheusMetric>;

// HPAScalingPolicy: at most `value` Pods, or `value` percent of the replicas at the start of
// the period, added (or removed) within any `period_seconds`.
struct ScalingRatePolicy {
  enum class Type { kPods, kPercent };
  Type type = Type::kPods;
  int32_t value = 0;           // > 0
  int32_t period_seconds = 0;  // 1..1800

  bool operator==(const ScalingRatePolicy&) const = default;
};

enum class SelectPolicy { kMax, kMin, kDisabled };

// HPAScalingRules with the HPA's defaults already applied by the decoder.
struct ScalingRules {
  int32_t stabilization_window_seconds = 0;  // 0..3600
  std::vector<ScalingRatePolicy> policies;   // never empty unless select is kDisabled
  SelectPolicy select = SelectPolicy::kMax;
  double tolerance = 0.1;  // a ratio within [1 - tolerance, 1 + tolerance] changes nothing

  bool operator==(const ScalingRules&) const = default;
};

struct ScalingBehavior {
  ScalingRules scale_up;    // default: window 0; max(4 Pods, 100 %) per 15 s
  ScalingRules scale_down;  // default: window 300 s; 100 % per 15 s

  bool operator==(const ScalingBehavior&) const = default;
};

// `scaleToZero: {after: 5m, queueSize: 100, queueTimeout: 60s}`, meaningful with
// minReplicas 0: after `after` with no request the Deployment goes to 0, and requests that
// arrive at 0 are held (at most `queue_size`, each for at most `queue_timeout`) until a pod
// is ready.
struct ScaleToZero {
  std::chrono::seconds after{300};
  uint32_t queue_size = 100;
  std::chrono::milliseconds queue_timeout{60000};

  bool operator==(const ScaleToZero&) const = default;
};

struct ScalingPolicy {
  ObjectMeta meta;
  std::string target_kind = "Deployment";  // the only kind scaled now
  std::string target_name;                 // in meta.namespace_
  int32_t min_replicas = 1;                // 0 allowed
  int32_t max_replicas = 0;                // >= max(min_replicas, 1)
  std::vector<ScalingMetric> metrics;      // at least one
  ScalingBehavior behavior;
  ScaleToZero scale_to_zero;

  bool operator==(const ScalingPolicy&) const = default;
};

// The ScalingActive reasons that say the autoscaler itself took the target to zero, or is
// bringing it back from there: zero is then its own doing, not a user's pause.
inline constexpr char kScaleToZeroReason[] = "ScaleToZero";
inline constexpr char kScaledToZeroReason[] = "ScaledToZero";
inline constexpr char kScaleFromZeroReason[] = "ScaleFromZero";

inline bool is_zero_reason(std::string_view reason) {
  return reason == kScaleToZeroReason || reason == kScaledToZeroReason ||
         reason == kScaleFromZeroReason;
}

// The Services `policy` measures by queue depth, as "namespace/name", in metric order: those
// Portico counts for it and, with minReplicas 0, holds requests for.
inline std::vector<std::string> queue_depth_services(const ScalingPolicy& policy) {
  std::vector<std::string> services;
  for (const ScalingMetric& metric : policy.metrics) {
    if (const auto* queue = std::get_if<QueueDepthMetric>(&metric)) {
      services.push_back(policy.meta.namespace_ + "/" + queue->service);
    }
  }
  return services;
}

}  // namespace portico::controller
