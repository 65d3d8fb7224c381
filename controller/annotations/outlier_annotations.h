#pragma once
// A Service's passive outlier detection from its annotations:
//   portico.io/outlier-consecutive-failures  5xx responses or connect failures in a row that
//                                            eject an endpoint, 0 (off, the default) to 1000
//   portico.io/outlier-base-ejection         the first ejection's length, a duration
//                                            (duration.h) from 100ms to 60m; default 30s
//   portico.io/outlier-max-ejection-percent  the largest share of the Service's endpoints
//                                            ejected at once, 0 to 100; default 50
// Repeated ejections grow up to 300s, or up to the base ejection when that is longer (as
// Envoy's max_ejection_time). An invalid value: a message naming it, and that setting alone
// keeps its default. Pure; any thread.
#include <chrono>
#include <cstdint>

#include "controller/annotations/annotation_parser.h"
#include "proxy/health/health_policy.h"

namespace portico::controller::annotations {

inline constexpr char kOutlierConsecutiveFailuresAnnotation[] =
    "portico.io/outlier-consecutive-failures";
inline constexpr char kOutlierBaseEjectionAnnotation[] = "portico.io/outlier-base-ejection";
inline constexpr char kOutlierMaxEjectionPercentAnnotation[] =
    "portico.io/outlier-max-ejection-percent";

inline constexpr uint32_t kMaxOutlierConsecutiveFailures = 1000;
inline constexpr std::chrono::milliseconds kMinOutlierBaseEjection{100};
inline constexpr std::chrono::milliseconds kMaxOutlierBaseEjection = std::chrono::hours(1);

Annotated<proxy::OutlierDetection> outlier_detection_from(const Annotations& annotations);

}  // namespace portico::controller::annotations
