#pragma once
// A pod's CPU request, what utilization is measured against by resource-based balancing and
// by the autoscaler's CPU metric. Pure; any thread.
#include <cstdint>

#include "controller/model/pod.h"

namespace portico::controller::metrics {

// The sum of the containers' CPU requests in millicores; 0 when any container has none (or
// an unreadable or zero one), which makes utilization unknown, as the HPA treats it.
int64_t pod_cpu_request_milli(const Pod& pod);

}  // namespace portico::controller::metrics
