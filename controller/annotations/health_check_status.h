#pragma once
// portico.io/health-check-status (on a Service): the response statuses that pass an HTTP
// health check, as one code ("200") or an inclusive range ("200-399"), of three-digit codes
// from 100 to 599, the first not above the second. Anything else is invalid. Default
// 200-399 (HAProxy's: redirects pass). Pure; any thread.
#include <cstdint>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kHealthCheckStatusAnnotation[] = "portico.io/health-check-status";

struct StatusRange {
  uint16_t min = 200;
  uint16_t max = 399;

  bool operator==(const StatusRange&) const = default;
};

Parsed<StatusRange> parse_health_check_status(const Annotations& annotations);

}  // namespace portico::controller::annotations
