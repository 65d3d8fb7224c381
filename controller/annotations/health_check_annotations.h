#pragma once
// A Service's active health check from its annotations (health belongs to the pods behind
// the Service, so it is configured there, as HAProxy and ingress-nginx users expect):
//   portico.io/health-check           http or tcp; unset: no active checks
//   portico.io/health-check-path      health_check_path.h; default /healthz
//   portico.io/health-check-status    health_check_status.h; default 200-399
//   portico.io/health-check-interval  a duration (duration.h) from 100ms to 60m; default 5s
//   portico.io/health-check-timeout   a duration from 10ms to the interval; default 1s, or the
//                                     interval when that is shorter
//   portico.io/health-check-fall      failures in a row that take an endpoint out, 1 to 100
//   portico.io/health-check-rise      successes in a row that bring it back, 1 to 100
// An invalid value: a message naming it, and that setting alone keeps its default (an invalid
// portico.io/health-check: no active checks, the others still checked and reported). A value
// with no effect (any of them without portico.io/health-check; a path or status on a tcp
// check): a message, and the setting stays at its default, so that equal intentions give
// equal checks. Pure; any thread.
#include <chrono>

#include "controller/annotations/annotation_parser.h"
#include "proxy/health/health_policy.h"

namespace portico::controller::annotations {

inline constexpr char kHealthCheckAnnotation[] = "portico.io/health-check";
inline constexpr char kHealthCheckIntervalAnnotation[] = "portico.io/health-check-interval";
inline constexpr char kHealthCheckTimeoutAnnotation[] = "portico.io/health-check-timeout";
inline constexpr char kHealthCheckFallAnnotation[] = "portico.io/health-check-fall";
inline constexpr char kHealthCheckRiseAnnotation[] = "portico.io/health-check-rise";

inline constexpr std::chrono::milliseconds kMinHealthCheckInterval{100};
inline constexpr std::chrono::milliseconds kMaxHealthCheckInterval = std::chrono::hours(1);
inline constexpr std::chrono::milliseconds kMinHealthCheckTimeout{10};
inline constexpr uint32_t kMaxHealthCheckThreshold = 100;  // fall and rise

// portico.io/health-check alone: http or tcp.
Parsed<proxy::ActiveHealthCheck::Kind> parse_health_check_kind(const Annotations& annotations);

Annotated<proxy::ActiveHealthCheck> health_check_from(const Annotations& annotations);

}  // namespace portico::controller::annotations
