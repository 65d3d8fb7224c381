#pragma once
// portico.io/slow-start: how long a newly ready endpoint takes to ramp from 10 % to its full
// share (weighted round robin and the least-connections family), so that a cold pod is not
// flooded the moment it turns ready. A whole number with one unit, ms, s or m ("500ms",
// "30s", "2m"), from 0 (off, the default) to 10m. Anything else is invalid. Pure; any thread.
#include <chrono>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kSlowStartAnnotation[] = "portico.io/slow-start";
inline constexpr std::chrono::milliseconds kMaxSlowStart = std::chrono::minutes(10);

Parsed<std::chrono::milliseconds> parse_slow_start(const Annotations& annotations);

}  // namespace portico::controller::annotations
