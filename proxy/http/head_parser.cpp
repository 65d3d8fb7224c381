#include "proxy/http/head_parser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "proxy/http/syntax.h"

namespace portico::proxy::http {
namespace {

using syntax::FieldKind;

// A scan runs once over the bytes. Running out of input anywhere is kIncomplete, so the same
// function serves a head that is still arriving; a byte that can never become valid is kError
// at once, without waiting for the rest of the head.
enum class Scan : uint8_t { kOk, kIncomplete, kError };

// `end` is the input clipped to max_head_bytes: the parser never looks past the limit.
struct Cursor {
  const char* p;
  const char* end;
  bool ends_with_lf;  // *(end - 1) == '\n', so every class scan stops before end
};

// Advances c.p over bytes of class `kClass`. No class holds LF (syntax.h), so when the input
// ends with one the scan needs no bound check; complete heads always do.
template <syntax::CharClass kClass>
[[gnu::always_inline]] inline void skip(Cursor& c) {
  const char* p = c.p;  // a local: stores through c.p could alias the bytes read
  if (c.ends_with_lf && p != c.end) {
    while (syntax::is(*p, kClass)) ++p;
  } else {
    while (p < c.end && syntax::is(*p, kClass)) ++p;
  }
  c.p = p;
}

// skip() for the long runs of field values and request-targets: eight bytes at a time first,
// `flag_bad` flagging (at least) the bytes outside `kClass`.
template <syntax::CharClass kClass, typename FlagBad>
[[gnu::always_inline]] inline void skip_long(Cursor& c, FlagBad flag_bad) {
  c.p = syntax::swar::skip_words(c.p, c.end, flag_bad);
  skip<kClass>(c);
}

// Why a head was refused. `status` is the request status; responses always answer 502.
struct Failure {
  uint16_t status = 400;
  std::string_view detail;
};

Scan fail(Failure& f, std::string_view detail, uint16_t status = 400) {
  f.status = status;
  f.detail = detail;
  return Scan::kError;
}

// Consumes the CRLF that must come at c.p (which is < c.end); any other byte there is an error
// described by `detail`, except CR and LF which get their own names.
Scan scan_line_end(Cursor& c, Failure& f, std::string_view detail) {
  if (*c.p == '\r') {
    if (c.p + 1 == c.end) return Scan::kIncomplete;
    if (c.p[1] != '\n') return fail(f, "bare CR");
    c.p += 2;
    return Scan::kOk;
  }
  return fail(f, *c.p == '\n' ? "bare LF" : detail);
}

// "HTTP/" DIGIT "." DIGIT, byte by byte so that a partial version is incomplete, not wrong.
// Case matters (RFC 9112 2.3): "http/1.1" is refused. Inlined: every head starts with one.
[[gnu::always_inline]] inline Scan scan_http_version(Cursor& c, Failure& f, unsigned& major,
                                                     unsigned& minor) {
  static constexpr std::string_view kPattern = "HTTP/0.0";  // '0' stands for any digit
  // Almost every message says HTTP/1.1 or HTTP/1.0, decided here with one comparison.
  if (c.end - c.p >= 8 && std::memcmp(c.p, "HTTP/1.", 7) == 0 && (c.p[7] == '1' || c.p[7] == '0')) {
    major = 1;
    minor = static_cast<unsigned>(c.p[7] - '0');
    c.p += kPattern.size();
    return Scan::kOk;
  }
  for (std::size_t i = 0; i < kPattern.size(); ++i) {
    if (c.p + i == c.end) return Scan::kIncomplete;
    const char ch = c.p[i];
    const bool ok = kPattern[i] == '0' ? (ch >= '0' && ch <= '9') : ch == kPattern[i];
    if (!ok) return fail(f, "malformed HTTP version");
  }
  major = static_cast<unsigned>(c.p[5] - '0');
  minor = static_cast<unsigned>(c.p[7] - '0');
  c.p += kPattern.size();
  return Scan::kOk;
}

// Scans field lines through the empty line that ends the head. `note(kind, value)` sees each
// field with a kind other than kOther once, right after it is stored, and returns a non-empty
// detail to refuse it (400).
template <typename Note>
Scan scan_fields(Cursor& c, std::size_t max_fields, std::vector<HeaderField>& headers, Failure& f,
                 Note&& note) {
  for (;;) {
    if (c.p == c.end) return Scan::kIncomplete;
    if (!syntax::is(*c.p, syntax::kTchar)) {
      if (*c.p == '\r' || *c.p == '\n') return scan_line_end(c, f, {});
      if (syntax::is_ows(*c.p)) return fail(f, "obs-fold or whitespace before a field name");
    }
    const char* name_begin = c.p;
    skip<syntax::kTchar>(c);
    if (c.p == c.end) return Scan::kIncomplete;
    if (*c.p != ':') {
      return fail(f, syntax::is_ows(*c.p) ? "whitespace before a field colon"
                                          : "invalid character in a field name");
    }
    if (c.p == name_begin) return fail(f, "empty field name");
    if (headers.size() == max_fields) return fail(f, "too many fields", 431);
    const std::string_view name(name_begin, static_cast<std::size_t>(c.p - name_begin));
    ++c.p;
    skip<syntax::kOws>(c);
    const char* value_begin = c.p;
    skip_long<syntax::kFieldChar>(c, syntax::swar::not_field_char_or_tab);
    if (c.p == c.end) return Scan::kIncomplete;
    const char* value_end = c.p;
    if (Scan s = scan_line_end(c, f, "invalid character in a field value"); s != Scan::kOk) {
      return s;
    }
    while (value_end > value_begin && syntax::is(value_end[-1], syntax::kOws)) --value_end;
    const std::string_view value(value_begin, static_cast<std::size_t>(value_end - value_begin));
    headers.push_back(HeaderField{name, value});
    if (const FieldKind kind = syntax::classify_field(name); kind != FieldKind::kOther) {
      if (std::string_view error = note(kind, value); !error.empty()) return fail(f, error);
    }
  }
}

// Content-Length = 1*DIGIT (RFC 9110 8.6): no sign, no list, no inner space, and no value
// above 2^63-1, so that no peer can read a different number from the same bytes.
bool parse_content_length(std::string_view value, uint64_t& out) {
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (value.empty()) return false;
  uint64_t n = 0;
  for (char ch : value) {
    if (ch < '0' || ch > '9') return false;
    const auto digit = static_cast<uint64_t>(ch - '0');
    if (n > (kMax - digit) / 10) return false;
    n = n * 10 + digit;
  }
  out = n;
  return true;
}

// Splits uri-host [":" port] (RFC 3986 3.2.2) from a Host value or an absolute-form
// authority, refusing any other character (userinfo included). `host` keeps IPv6 brackets.
bool split_authority(std::string_view authority, std::string_view& host) {
  const char* const begin = authority.data();
  const char* const end = begin + authority.size();
  const char* p = begin;
  if (p != end && *p == '[') {
    const char* const close = std::find(p, end, ']');
    if (close == end || close == p + 1) return false;
    for (++p; p != close; ++p) {
      if (!syntax::is(*p, syntax::kHexDigit) && *p != ':' && *p != '.') return false;
    }
    ++p;
  } else {
    while (p != end && syntax::is(*p, syntax::kHostChar)) ++p;
  }
  host = std::string_view(begin, static_cast<std::size_t>(p - begin));
  if (p == end) return true;
  if (*p != ':' || p == begin) return false;
  ++p;
  if (end - p > 5) return false;
  unsigned number = 0;
  for (; p != end; ++p) {
    const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (digit > 9) return false;
    number = number * 10 + digit;
  }
  return number <= 65535;
}

// `target` up to its first '?', or all of it.
std::string_view before_query(std::string_view target) {
  const char* const begin = target.data();
  const char* const query = syntax::find_byte(begin, begin + target.size(), '?');
  return target.substr(0, static_cast<std::size_t>(query - begin));
}

// Fills `path` from the target and, for absolute-form, the authority's host. False for a
// target that is not origin-form, absolute-form (http/https) or "*" with OPTIONS.
bool classify_target(RequestHead& out, std::string_view& authority_host, bool& absolute) {
  const std::string_view target = out.target;
  if (target.front() == '/') {
    out.path = before_query(target);
    return true;
  }
  if (target == "*") {
    out.path = target;
    return out.method == "OPTIONS";
  }
  std::size_t scheme_length = 0;
  if (iequals(target.substr(0, 7), "http://")) {
    scheme_length = 7;
  } else if (iequals(target.substr(0, 8), "https://")) {
    scheme_length = 8;
  } else {
    return false;
  }
  const std::string_view rest = target.substr(scheme_length);
  const std::size_t authority_end = rest.find_first_of("/?");
  if (!split_authority(rest.substr(0, authority_end), authority_host) || authority_host.empty()) {
    return false;
  }
  absolute = true;
  if (authority_end == std::string_view::npos || rest[authority_end] == '?') {
    out.path = "/";
  } else {
    const std::string_view path_and_query = rest.substr(authority_end);
    out.path = before_query(path_and_query);
  }
  return true;
}

// Fields seen so far, for duplicate and conflict checks.
struct Seen {
  bool content_length = false;
  bool transfer_encoding = false;
  bool host = false;
};

// Sets the fact for a Connection option Portico acts on; false for any other option.
bool note_connection_option(std::string_view option, MessageFacts& facts) {
  bool* fact = nullptr;
  if (syntax::equals_lower(option, "close")) {
    fact = &facts.connection_close;
  } else if (syntax::equals_lower(option, "keep-alive")) {
    fact = &facts.connection_keep_alive;
  } else if (syntax::equals_lower(option, "upgrade")) {
    fact = &facts.connection_upgrade;
  }
  if (fact != nullptr) *fact = true;
  return fact != nullptr;
}

// The framing and connection fields, common to requests and responses. Returns the reason
// to refuse the message, or empty. Inlined into both field scans, which call it for most of
// the fields Portico knows.
[[gnu::always_inline]] inline std::string_view note_message_field(FieldKind kind,
                                                                  std::string_view value,
                                                                  unsigned version_minor,
                                                                  MessageFacts& facts, Seen& seen) {
  switch (kind) {
    case FieldKind::kContentLength:
      if (seen.content_length) return "duplicate Content-Length";
      if (seen.transfer_encoding) return "both Content-Length and Transfer-Encoding";
      if (!parse_content_length(value, facts.content_length)) return "malformed Content-Length";
      seen.content_length = true;
      return {};
    case FieldKind::kTransferEncoding:
      if (seen.transfer_encoding) return "duplicate Transfer-Encoding";
      if (seen.content_length) return "both Content-Length and Transfer-Encoding";
      if (version_minor == 0) return "Transfer-Encoding in HTTP/1.0";
      if (!syntax::equals_lower(value, "chunked")) return "Transfer-Encoding other than chunked";
      seen.transfer_encoding = true;
      return {};
    case FieldKind::kConnection:
      // Only the first value is kept; forwarding reads every Connection field from `headers`.
      if (facts.connection.empty()) facts.connection = value;
      // The usual value is one option: matched whole, it needs no list walk.
      if (!note_connection_option(value, facts)) {
        syntax::find_in_list(value, [&facts](std::string_view option) {
          note_connection_option(option, facts);
          return false;
        });
      }
      return {};
    case FieldKind::kUpgrade:
      if (facts.upgrade.empty()) facts.upgrade = value;
      return {};
    case FieldKind::kExpect:
      facts.expect_continue |= list_contains_token(value, "100-continue");
      return {};
    default:
      return {};
  }
}

// HTTP/1.0 closes unless the peer asked for keep-alive (RFC 9112 9.3).
void finish_connection_facts(MessageFacts& facts, unsigned version_minor) {
  if (version_minor == 0 && !facts.connection_keep_alive) facts.connection_close = true;
}

Scan scan_request(Cursor& c, std::size_t max_fields, RequestHead& out, Failure& f) {
  // RFC 9112 2.2: empty lines before the request-line (sent after a body by old clients) are
  // skipped; they still count towards the head size.
  while (c.p < c.end && *c.p == '\r') {
    if (Scan s = scan_line_end(c, f, {}); s != Scan::kOk) return s;
  }
  const char* method_begin = c.p;
  skip<syntax::kTchar>(c);
  if (c.p == c.end) return Scan::kIncomplete;
  if (*c.p != ' ' || c.p == method_begin) return fail(f, "malformed method");
  out.method = std::string_view(method_begin, static_cast<std::size_t>(c.p - method_begin));
  if (out.method == "CONNECT") return fail(f, "CONNECT is not supported", 501);
  ++c.p;

  const char* target_begin = c.p;
  skip_long<syntax::kTargetChar>(c, syntax::swar::not_target_char);
  if (c.p == c.end) return Scan::kIncomplete;
  if (*c.p != ' ' || c.p == target_begin) return fail(f, "malformed request-target");
  out.target = std::string_view(target_begin, static_cast<std::size_t>(c.p - target_begin));
  ++c.p;

  unsigned major = 0;
  unsigned minor = 0;
  if (Scan s = scan_http_version(c, f, major, minor); s != Scan::kOk) return s;
  if (c.p == c.end) return Scan::kIncomplete;
  if (Scan s = scan_line_end(c, f, "malformed HTTP version"); s != Scan::kOk) return s;
  if (major != 1 || minor > 1) return fail(f, "unsupported HTTP version", 505);
  out.version_minor = static_cast<uint8_t>(minor);

  std::string_view authority_host;
  bool absolute = false;
  if (!classify_target(out, authority_host, absolute)) return fail(f, "malformed request-target");

  Seen seen;
  std::string_view header_host;
  const Scan fields =
      scan_fields(c, max_fields, out.headers, f, [&](FieldKind kind, std::string_view value) {
        switch (kind) {
          case FieldKind::kHost:
            if (seen.host) return std::string_view("duplicate Host");
            seen.host = true;
            return split_authority(value, header_host) ? std::string_view()
                                                       : std::string_view("malformed Host");
          case FieldKind::kXRequestId:
            if (out.x_request_id.empty()) out.x_request_id = value;
            return std::string_view();
          case FieldKind::kXForwardedFor:
            if (out.x_forwarded_for.empty()) out.x_forwarded_for = value;
            return std::string_view();
          default:
            return note_message_field(kind, value, minor, out.facts, seen);
        }
      });
  if (fields != Scan::kOk) return fields;
  if (minor == 1 && !seen.host) return fail(f, "missing Host");
  // RFC 9112 3.2.2: the authority of an absolute-form target replaces Host.
  out.host = absolute ? authority_host : header_host;
  finish_connection_facts(out.facts, minor);
  if (seen.transfer_encoding) {
    out.facts.framing = BodyFraming::kChunked;
  } else if (out.facts.content_length > 0) {
    out.facts.framing = BodyFraming::kContentLength;
  }
  return Scan::kOk;
}

Scan scan_response(Cursor& c, std::size_t max_fields, std::string_view request_method,
                   ResponseHead& out, Failure& f) {
  unsigned major = 0;
  unsigned minor = 0;
  if (Scan s = scan_http_version(c, f, major, minor); s != Scan::kOk) return s;
  if (major != 1 || minor > 1) return fail(f, "unsupported HTTP version");
  if (c.p == c.end) return Scan::kIncomplete;
  if (*c.p != ' ') return fail(f, "malformed status line");
  ++c.p;
  unsigned status = 0;
  for (int i = 0; i < 3; ++i, ++c.p) {
    if (c.p == c.end) return Scan::kIncomplete;
    const unsigned digit = static_cast<unsigned char>(*c.p) - unsigned{'0'};
    if (digit > 9) return fail(f, "malformed status code");
    status = status * 10 + digit;
  }
  if (c.p == c.end) return Scan::kIncomplete;
  // Like HAProxy, the SP before an empty reason may be missing.
  if (*c.p == ' ') {
    const char* reason_begin = ++c.p;
    skip<syntax::kFieldChar>(c);
    if (c.p == c.end) return Scan::kIncomplete;
    out.reason = std::string_view(reason_begin, static_cast<std::size_t>(c.p - reason_begin));
  }
  if (Scan s = scan_line_end(c, f, "malformed status line"); s != Scan::kOk) return s;
  if (status < 100 || status > 599) return fail(f, "status code out of range");
  out.status = static_cast<uint16_t>(status);
  out.version_minor = static_cast<uint8_t>(minor);

  Seen seen;
  const Scan fields =
      scan_fields(c, max_fields, out.headers, f, [&](FieldKind kind, std::string_view value) {
        return note_message_field(kind, value, minor, out.facts, seen);
      });
  if (fields != Scan::kOk) return fields;
  finish_connection_facts(out.facts, minor);
  // RFC 9112 6.3: these never have a body, whatever the fields say. content_length only
  // describes a body that follows.
  const bool bodiless = request_method == "HEAD" || status < 200 || status == 204 || status == 304;
  if (bodiless) {
    out.facts.content_length = 0;
  } else if (seen.transfer_encoding) {
    out.facts.framing = BodyFraming::kChunked;
  } else if (seen.content_length) {
    if (out.facts.content_length > 0) out.facts.framing = BodyFraming::kContentLength;
  } else {
    out.facts.framing = BodyFraming::kUntilClose;
  }
  return Scan::kOk;
}

// Runs `scan` over data clipped to the head limit and turns its outcome into a ParseResult.
// `response_status` replaces every refusal status when non-zero (responses answer 502).
template <typename ScanFn>
ParseResult run(std::string_view data, const HeadLimits& limits, uint16_t response_status,
                ScanFn&& scan) {
  const std::size_t size = std::min(data.size(), limits.max_head_bytes);
  Cursor c{data.data(), data.data() + size, size != 0 && data[size - 1] == '\n'};
  Failure f;
  ParseResult result;
  switch (scan(c, f)) {
    case Scan::kOk:
      result.status = ParseStatus::kComplete;
      result.consumed = static_cast<std::size_t>(c.p - data.data());
      return result;
    case Scan::kIncomplete:
      // The head cannot end within the limit: refuse now so buffers stay bounded.
      if (data.size() < limits.max_head_bytes) return result;
      fail(f, "head larger than max_head_bytes", 431);
      break;
    case Scan::kError:
      break;
  }
  result.status = ParseStatus::kError;
  result.error_status = response_status != 0 ? response_status : f.status;
  result.error_detail = f.detail;
  return result;
}

}  // namespace

std::size_t find_head_end(std::string_view data, std::size_t scan_from) {
  // Empty lines before a request-line are skipped by the parser (RFC 9112 2.2); they must not
  // pass for the blank line that ends a head.
  std::size_t start = 0;
  while (data.substr(start, 2) == "\r\n") start += 2;
  // A terminator may straddle the previous scan's end: back up by its length minus one.
  const std::size_t from = std::max(start, scan_from > 3 ? scan_from - 3 : 0);
  const std::size_t at = data.find("\r\n\r\n", from);
  return at == std::string_view::npos ? 0 : at + 4;
}

ParseResult parse_request_head(std::string_view data, const HeadLimits& limits, RequestHead& out) {
  out.clear();
  return run(data, limits, 0,
             [&](Cursor& c, Failure& f) { return scan_request(c, limits.max_fields, out, f); });
}

ParseResult parse_response_head(std::string_view data, const HeadLimits& limits,
                                std::string_view request_method, ResponseHead& out) {
  out.clear();
  return run(data, limits, 502, [&](Cursor& c, Failure& f) {
    return scan_response(c, limits.max_fields, request_method, out, f);
  });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && syntax::swar::equal_folded<false>(a.data(), b.data(), a.size());
}

bool list_contains_token(std::string_view list, std::string_view token) {
  return syntax::find_in_list(
      list, [token](std::string_view element) { return iequals(element, token); });
}

}  // namespace portico::proxy::http
