#pragma once
// Strict HTTP/1.1 head parsing (RFC 9112), as strict as HAProxy: anything that could let two
// parsers disagree about where a message ends is refused. Pure functions: no I/O, no
// allocation beyond the head's header vector (whose capacity is reused between requests).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proxy/http/request_head.h"

namespace portico::proxy::http {

struct HeadLimits {
  std::size_t max_head_bytes = 16 * 1024;  // request line/status line + all fields + CRLFCRLF
  std::size_t max_fields = 100;
};

enum class ParseStatus : uint8_t {
  kComplete,    // head parsed; `consumed` bytes (through the final CRLF CRLF) belong to it
  kIncomplete,  // need more bytes; nothing consumed
  kError,       // refuse: answer `error_status` and close the connection
};

struct ParseResult {
  ParseStatus status = ParseStatus::kIncomplete;
  std::size_t consumed = 0;
  uint16_t error_status = 0;      // 400, 431, 501 or 505 for requests; 502 for responses
  std::string_view error_detail;  // static text for logs, never echoed to clients
};

// Finds the end of a head ("\r\n\r\n") in `data`, starting the search at `scan_from` so that
// repeated calls on a growing buffer stay linear. Returns the offset just past the blank
// line, or 0 when not found yet.
std::size_t find_head_end(std::string_view data, std::size_t scan_from);

// Parses a request head at the start of `data`. Refused with 400: bare CR or LF, NUL, obs-fold,
// whitespace before a field's colon, invalid token characters, both Content-Length and
// Transfer-Encoding, duplicate or malformed Content-Length, any Transfer-Encoding other than
// exactly "chunked", Transfer-Encoding in HTTP/1.0, missing or duplicate Host in HTTP/1.1,
// a target that is not origin-, absolute- or asterisk-form (OPTIONS only).
// 431 when the head exceeds limits; 505 for versions other than HTTP/1.0 and HTTP/1.1;
// 501 for CONNECT.
ParseResult parse_request_head(std::string_view data, const HeadLimits& limits, RequestHead& out);

// Parses a response head. `request_method` decides framing (HEAD has no body);
// 1xx, 204 and 304 have none either. Refused (error_status 502) on the same malformations.
ParseResult parse_response_head(std::string_view data, const HeadLimits& limits,
                                std::string_view request_method, ResponseHead& out);

// Case-insensitive ASCII comparison of header names and tokens.
bool iequals(std::string_view a, std::string_view b);

// True when the comma-separated list `list` contains `token` (case-insensitive, OWS trimmed).
bool list_contains_token(std::string_view list, std::string_view token);

}  // namespace portico::proxy::http
