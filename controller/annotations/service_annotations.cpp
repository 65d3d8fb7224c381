#include "controller/annotations/service_annotations.h"

#include <iterator>
#include <utility>

#include "controller/annotations/circuit_breaker_annotations.h"
#include "controller/annotations/health_check_annotations.h"
#include "controller/annotations/outlier_annotations.h"

namespace portico::controller::annotations {

ServicePolicy service_policy_from(const Annotations& annotations) {
  Annotated<proxy::ActiveHealthCheck> health_check = health_check_from(annotations);
  Annotated<proxy::OutlierDetection> outlier = outlier_detection_from(annotations);
  Annotated<proxy::CircuitBreaker> breaker = circuit_breaker_from(annotations);
  ServicePolicy policy{health_check.value, outlier.value, breaker.value,
                       std::move(health_check.problems)};
  for (std::vector<std::string>* more : {&outlier.problems, &breaker.problems}) {
    policy.problems.insert(policy.problems.end(), std::make_move_iterator(more->begin()),
                           std::make_move_iterator(more->end()));
  }
  return policy;
}

}  // namespace portico::controller::annotations
