#pragma once
// Resource-based balancing's decision: the weight a pod's spare CPU earns. Pure; any thread.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/balancer/resource_based.h"

namespace portico::controller::metrics {

using proxy::kIdleResourceWeight;

// `usage_milli` of `request_milli` against a ceiling in percent of the request:
// kIdleResourceWeight when idle, falling linearly to 1 just below the ceiling, 0 at or above
// it (no new requests). -1 (unknown: static weights apply) when the pod requests no CPU,
// since utilization has no meaning then.
int32_t resource_weight(int64_t usage_milli, int64_t request_milli, int32_t ceiling_percent);

// One pod as resource-based balancing sees it: its addresses and CPU.
struct PodCpu {
  std::vector<std::string> ips;
  int64_t usage_milli = 0;
  int64_t request_milli = 0;  // summed over containers; 0 when any container has none
};

// The weight of every address of every pod; addresses shared by two pods (host network) take
// the lower weight, so a busy pod is never hidden by an idle one.
std::unordered_map<std::string, int32_t> resource_weights_by_ip(const std::vector<PodCpu>& pods,
                                                                int32_t ceiling_percent);

}  // namespace portico::controller::metrics
