#pragma once
// Reads metrics.k8s.io/v1beta1 PodMetrics through the ApiClient: the CPU usage that
// resource-based balancing and the autoscaler's CPU metric both act on. Blocking, control
// plane only; any thread (the ApiClient is thread-safe).
#include <string>
#include <vector>

#include "common/result.h"
#include "controller/kube/api_client.h"
#include "controller/metrics/pod_usage.h"

namespace portico::controller::metrics {

struct PodMetricsQuery {
  std::string namespace_;      // empty: every namespace
  std::string label_selector;  // empty: every pod; else "app=web,tier in (a,b)" as given
};

// Every pod's usage the metrics API has for `query`. A 404 (no metrics-server, or the
// APIService missing) is an Error whose text says so; a pod whose usage does not parse is
// left out and named in the log, not allowed to hide the others.
Result<std::vector<PodUsage>> list_pod_usage(kube::ApiClient& client, const PodMetricsQuery& query);

// The body of a PodMetricsList, decoded; exposed for tests of the format.
Result<std::vector<PodUsage>> parse_pod_metrics_list(const std::string& body);

}  // namespace portico::controller::metrics
