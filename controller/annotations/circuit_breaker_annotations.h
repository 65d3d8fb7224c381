#pragma once
// A Service's circuit breaker from its annotations, limits over every worker beyond which the
// proxy answers 503 at once, each a whole number from 0 (no limit, the default) to 1000000:
//   portico.io/max-connections       upstream connections open, pooled or busy
//   portico.io/max-pending-requests  requests waiting for an upstream connection
//   portico.io/max-requests          requests in flight
// An invalid value: a message naming it, and that limit alone stays off. Pure; any thread.
#include <cstdint>

#include "controller/annotations/annotation_parser.h"
#include "proxy/upstream/retry_policy.h"

namespace portico::controller::annotations {

inline constexpr char kMaxConnectionsAnnotation[] = "portico.io/max-connections";
inline constexpr char kMaxPendingRequestsAnnotation[] = "portico.io/max-pending-requests";
inline constexpr char kMaxRequestsAnnotation[] = "portico.io/max-requests";

inline constexpr uint32_t kMaxCircuitBreakerLimit = 1'000'000;

Annotated<proxy::CircuitBreaker> circuit_breaker_from(const Annotations& annotations);

}  // namespace portico::controller::annotations
