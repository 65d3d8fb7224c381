#pragma once
// The bytes of an HTTP health check: the request sent, and the status line read back.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::proxy {

// "GET <path> HTTP/1.1" with Host, User-Agent: portico-health-check and Connection: close.
// nullopt when `path` cannot be sent verbatim (it must start with '/' and hold only visible
// ASCII), so that a check path from an annotation can never inject a header. Pure.
std::optional<std::string> health_check_request(std::string_view path, std::string_view host);

struct StatusLine {
  enum class State { kIncomplete, kMalformed, kComplete };
  State state = State::kIncomplete;
  uint16_t status = 0;  // kComplete only
};

// Reads the status code from the first line of `data`, the response bytes received so far;
// the rest of the response is never looked at. "HTTP/<digit>.<digit> <3 digits>", then a
// space or the end of the line. Pure.
StatusLine parse_status_line(std::string_view data);

}  // namespace portico::proxy
