#pragma once
// RFC 3339 timestamps as Kubernetes writes them ("2024-05-01T12:00:00Z", optional fraction,
// "Z" or a numeric offset). Pure; any thread.
#include <chrono>
#include <optional>
#include <string_view>

namespace portico::controller {

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace portico::controller
