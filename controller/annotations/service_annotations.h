#pragma once
// What a Service's annotations decide for every backend of its ports: the active health
// check (health_check_annotations.h), passive outlier detection (outlier_annotations.h) and
// the circuit breaker (circuit_breaker_annotations.h). These describe the pods behind the
// Service, so whichever Ingress routes to it, they are the same. Pure; any thread.
#include <string>
#include <vector>

#include "controller/annotations/annotation_parser.h"
#include "proxy/health/health_policy.h"
#include "proxy/upstream/retry_policy.h"

namespace portico::controller::annotations {

struct ServicePolicy {
  proxy::ActiveHealthCheck health_check;
  proxy::OutlierDetection outlier_detection;
  proxy::CircuitBreaker circuit_breaker;
  std::vector<std::string> problems;  // one message per annotation refused or without effect
};

ServicePolicy service_policy_from(const Annotations& annotations);

}  // namespace portico::controller::annotations
