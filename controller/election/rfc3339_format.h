#pragma once
// Timestamps as the API server expects them: metav1.Time ("2024-05-01T12:00:00Z") and
// metav1.MicroTime ("2024-05-01T12:00:00.000000Z"), always UTC. The reverse of
// parse_rfc3339() (controller/decode/rfc3339.h). Pure; any thread.
#include <chrono>
#include <string>

namespace portico::controller {

enum class TimePrecision { kSeconds, kMicroseconds };

std::string format_rfc3339(std::chrono::system_clock::time_point time, TimePrecision precision);

}  // namespace portico::controller
