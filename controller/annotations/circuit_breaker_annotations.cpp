#include "controller/annotations/circuit_breaker_annotations.h"

#include <string>
#include <utility>

#include "controller/annotations/whole_number.h"

namespace portico::controller::annotations {

Annotated<proxy::CircuitBreaker> circuit_breaker_from(const Annotations& annotations) {
  Annotated<proxy::CircuitBreaker> result;
  proxy::CircuitBreaker& breaker = result.value;
  for (const auto& [name, limit] :
       {std::pair{kMaxConnectionsAnnotation, &breaker.max_connections},
        std::pair{kMaxPendingRequestsAnnotation, &breaker.max_pending_requests},
        std::pair{kMaxRequestsAnnotation, &breaker.max_requests}}) {
    apply(parse_whole_number(annotations, name, 0, kMaxCircuitBreakerLimit), *limit,
          *limit == 0 ? "no limit" : std::to_string(*limit), result.problems);
  }
  return result;
}

}  // namespace portico::controller::annotations
