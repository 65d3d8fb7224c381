#pragma once
// Each metric of the policy with its sample, turned into a proposal (cpu_replicas.h for CPU,
// total_replicas.h for queue depth and Prometheus). Pure; any thread.
#include <vector>

#include "autoscaler/decision/replica_decision.h"

namespace portico::autoscaler {

// One proposal per policy metric, in order. A metric whose sample is missing, of the wrong
// kind or an InvalidSample is invalid, with the reason as its explanation.
std::vector<MetricProposal> propose_replicas(const DecisionInput& input);

}  // namespace portico::autoscaler
