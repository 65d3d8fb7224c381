#pragma once
// The parsed head of one HTTP/1.1 request or response. Every string_view points into the
// connection's read buffer, so a head is valid only until that buffer is compacted.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace portico::proxy::http {

struct HeaderField {
  std::string_view name;   // as sent; compare case-insensitively
  std::string_view value;  // leading and trailing whitespace removed
};

enum class BodyFraming : uint8_t {
  kNone,           // no body (no Content-Length or Content-Length: 0, or a bodiless status)
  kContentLength,  // exactly content_length bytes follow
  kChunked,        // Transfer-Encoding: chunked
  kUntilClose,     // responses only: the body ends when the upstream closes
};

// Facts the proxy acts on, extracted once while parsing so the hot path never scans the
// header list twice.
struct MessageFacts {
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;
  bool connection_close = false;       // "Connection: close", or HTTP/1.0 without keep-alive
  bool connection_keep_alive = false;  // "Connection: keep-alive" token present
  bool connection_upgrade = false;     // "Connection: upgrade" token present
  bool expect_continue = false;        // "Expect: 100-continue"
  std::string_view upgrade;            // value of the Upgrade header, empty when absent
  std::string_view connection;         // raw value(s) of Connection, to strip listed headers
};

struct RequestHead {
  std::string_view method;
  std::string_view target;  // request-target exactly as sent
  std::string_view path;    // target without query, for origin-form and absolute-form
  std::string_view host;    // Host header (or absolute-form authority), port stripped, as sent
  std::string_view x_request_id;     // empty when absent
  std::string_view x_forwarded_for;  // empty when absent
  uint8_t version_minor = 1;         // HTTP/1.<minor>; only 0 and 1 are accepted
  std::vector<HeaderField> headers;  // in order, duplicates kept
  MessageFacts facts;

  void clear() {
    method = target = path = host = x_request_id = x_forwarded_for = {};
    version_minor = 1;
    headers.clear();
    facts = MessageFacts{};
  }
};

struct ResponseHead {
  uint16_t status = 0;
  std::string_view reason;
  uint8_t version_minor = 1;
  std::vector<HeaderField> headers;
  MessageFacts facts;

  void clear() {
    status = 0;
    reason = {};
    version_minor = 1;
    headers.clear();
    facts = MessageFacts{};
  }
};

}  // namespace portico::proxy::http
