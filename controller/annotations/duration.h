#pragma once
// Durations in Portico's annotations (portico.io/slow-start, the health-check, outlier and
// retry timings): a whole number and one unit, ms, s or m ("500ms", "30s", "2m"). No sign,
// no fraction, no compound ("1m30s"), no space inside; each annotation has its own bounds,
// and a value outside them is invalid, not clamped. Pure; any thread.
#include <chrono>
#include <string>
#include <string_view>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

// `annotation`'s duration when it is within [min, max].
Parsed<std::chrono::milliseconds> parse_duration(const Annotations& annotations,
                                                 std::string_view annotation,
                                                 std::chrono::milliseconds min,
                                                 std::chrono::milliseconds max);

// The duration as an annotation would spell it, in the largest unit that divides it
// exactly ("10m", "30s", "1500ms"), for messages.
std::string duration_text(std::chrono::milliseconds duration);

}  // namespace portico::controller::annotations
