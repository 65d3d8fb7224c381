#pragma once
// What the metric sources' tests share besides the canned server.
#include <chrono>
#include <string>

namespace portico::autoscaler::test {

// Room for a loaded machine between a deadline and the call's return.
inline constexpr std::chrono::milliseconds kSlack{1500};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace portico::autoscaler::test
