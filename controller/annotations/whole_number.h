#pragma once
// Counts and percentages in Portico's annotations (health-check fall and rise, outlier
// thresholds, circuit-breaker limits, retries): decimal digits only, no sign, no space
// inside, within the annotation's own bounds (a value outside them is invalid, not clamped).
// Pure; any thread.
#include <cstdint>
#include <string_view>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

// `annotation`'s number when it is within [min, max].
Parsed<uint32_t> parse_whole_number(const Annotations& annotations, std::string_view annotation,
                                    uint32_t min, uint32_t max);

}  // namespace portico::controller::annotations
