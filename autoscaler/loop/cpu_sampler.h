#pragma once
// The CPU metric's sample for one target, as the HPA's replica calculator gathers it: the
// pods its scale selector matches, each with phase, readiness and CPU request, and each one's
// usage from metrics.k8s.io. Blocking (two API calls); the autoscaler's thread.
#include <chrono>
#include <string>
#include <vector>

#include "autoscaler/decision/replica_decision.h"
#include "controller/kube/api_client.h"
#include "controller/metrics/pod_usage.h"
#include "controller/model/pod.h"

namespace portico::autoscaler {

// How long after a pod starts its CPU may still be its start-up burst (the HPA's
// --horizontal-pod-autoscaler-cpu-initialization-period), and how long after start a
// not-ready pod is taken as never having been ready (its initial-readiness-delay).
inline constexpr std::chrono::minutes kCpuInitializationPeriod{5};
inline constexpr std::chrono::seconds kInitialReadinessDelay{30};
// metrics-server's default resolution: a sample's window ends at its timestamp.
inline constexpr std::chrono::seconds kMetricsWindow{15};

// Pure: the HPA's groupPods. A Failed or Succeeded pod is ignored; a Pending one counts as
// pending; a running pod is ready unless, within the initialization period, it is not Ready
// or its sample's window began before it became Ready, or, after it, it is not Ready and
// never was since its start-up. Pods without usage keep cpu_usage_milli unset.
CpuSample cpu_sample_of(const std::vector<controller::Pod>& pods,
                        const std::vector<controller::metrics::PodUsage>& usage,
                        std::chrono::system_clock::time_point now);

// Lists the pods of `selector` (the scale's status.selector, in label-selector syntax) in
// `namespace_` and their metrics. An InvalidSample names what could not be read.
MetricSample read_cpu_sample(controller::kube::ApiClient& client, const std::string& namespace_,
                             const std::string& selector,
                             std::chrono::system_clock::time_point now);

}  // namespace portico::autoscaler
