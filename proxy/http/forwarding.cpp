#include "proxy/http/forwarding.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "proxy/http/head_parser.h"
#include "proxy/http/syntax.h"

namespace portico::proxy::http {
namespace {

using syntax::FieldKind;

// Writes a head into a std::string through a raw pointer, so that a line costs one room
// check and a memcpy per piece rather than a std::string::append per piece. The string is
// grown ahead by an estimate of the head's size (further if that falls short) and trimmed to
// what was written when the writer goes away.
//
// Fields forwarded unchanged are not copied piece by piece: a field that arrived as exactly
// "name: value" CRLF, right after the previous such field, extends a run of input bytes that
// is copied whole when something else is written. Used within one call, on one thread.
class HeadWriter {
 public:
  HeadWriter(std::string& out, std::size_t expected) : out_(out) {
    const std::size_t length = out_.size();
    out_.resize(length + expected);
    p_ = out_.data() + length;
    end_ = out_.data() + out_.size();
  }
  ~HeadWriter() {
    flush_run();
    out_.resize(static_cast<std::size_t>(p_ - out_.data()));
  }
  HeadWriter(const HeadWriter&) = delete;
  HeadWriter& operator=(const HeadWriter&) = delete;

  // Appends the concatenation of `pieces` (each convertible to std::string_view).
  template <typename... Pieces>
  void put(const Pieces&... pieces) {
    flush_run();
    append(pieces...);
  }

  void field(std::string_view name, std::string_view value) { put(name, ": ", value, "\r\n"); }

  // field(f.name, f.value) for a field of a parsed head, whose views point into one buffer
  // (request_head.h): the bytes around them are read only where they lie between two views.
  // Inlined: this is the per-field step of every forwarded head.
  [[gnu::always_inline]] void copy_field(const HeaderField& f) {
    const char* const name_end = f.name.data() + f.name.size();
    const bool as_written =
        two_apart(name_end, f.value.data()) && name_end[0] == ':' && name_end[1] == ' ';
    const bool follows_run = run_begin_ != nullptr && two_apart(run_end_, f.name.data()) &&
                             run_end_[0] == '\r' && run_end_[1] == '\n';
    if (as_written && follows_run) {
      run_end_ = f.value.data() + f.value.size();
    } else {
      start_run(f, as_written);
    }
  }

  void number(unsigned value) {
    flush_run();
    constexpr std::size_t kDigits = 10;
    if (static_cast<std::size_t>(end_ - p_) < kDigits) grow(kDigits);
    p_ = std::to_chars(p_, p_ + kDigits, value).ptr;
  }

 private:
  template <typename... Pieces>
  void append(const Pieces&... pieces) {
    const std::size_t n = (std::string_view(pieces).size() + ...);
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    char* p = p_;
    ((p = copy(p, std::string_view(pieces))), ...);
    p_ = p;
  }

  void start_run(const HeaderField& f, bool as_written) {
    flush_run();
    if (as_written) {
      run_begin_ = f.name.data();
      run_end_ = f.value.data() + f.value.size();
    } else {
      append(f.name, ": ", f.value, "\r\n");
    }
  }

  void flush_run() {
    if (run_begin_ == nullptr) return;
    append(std::string_view(run_begin_, static_cast<std::size_t>(run_end_ - run_begin_)), "\r\n");
    run_begin_ = nullptr;
  }

  void grow(std::size_t n) {
    const std::size_t length = static_cast<std::size_t>(p_ - out_.data());
    out_.resize(std::max(2 * out_.size(), length + n));
    p_ = out_.data() + length;
    end_ = out_.data() + out_.size();
  }

  // Compared as integers: `from + 2` may lie past the end of the buffer `from` points into.
  static bool two_apart(const char* from, const char* to) {
    return reinterpret_cast<std::uintptr_t>(to) - reinterpret_cast<std::uintptr_t>(from) == 2;
  }

  static char* copy(char* p, std::string_view s) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return p + s.size();
  }

  std::string& out_;
  char* p_;    // next byte to write
  char* end_;  // end of the room made so far
  // Input bytes still to be copied, from the first name to the last value of the run.
  const char* run_begin_ = nullptr;
  const char* run_end_ = nullptr;
};

// What the fields of a head take as they arrived, as an estimate of what they take forwarded.
std::size_t fields_size(const std::vector<HeaderField>& headers) {
  std::size_t n = 0;
  for (const HeaderField& field : headers) n += field.name.size() + field.value.size() + 4;
  return n;
}

// Room for the status or request line and the fields Portico adds, beyond the variable parts
// counted separately.
constexpr std::size_t kAddedBytes = 256;

void write_status_line(HeadWriter& w, uint16_t status, std::string_view reason) {
  w.put("HTTP/1.1 ");
  w.number(status);
  w.put(" ", reason, "\r\n");
}

// An X-Request-ID is passed on or echoed only when it is visible ASCII and short, so a client
// cannot use it to smuggle bytes into heads or logs.
bool is_valid_request_id(std::string_view id) {
  constexpr std::size_t kMaxLength = 200;
  if (id.empty() || id.size() > kMaxLength) return false;
  const char* p = id.data();
  const char* const end = p + id.size();
  uint64_t bad = 0;
  for (; end - p >= 8; p += 8) bad |= syntax::swar::not_vchar(syntax::swar::load<uint64_t>(p));
  for (; p != end; ++p) {
    if (*p < 0x21 || *p > 0x7e) return false;
  }
  return bad == 0;
}

bool is_handled_option(std::string_view option) {
  return syntax::equals_lower(option, "close") || syntax::equals_lower(option, "keep-alive") ||
         syntax::equals_lower(option, "upgrade");
}

// True when some Connection field lists an option other than close, keep-alive or upgrade.
// Those three are handled by the fixed hop-by-hop rules, so with none other (the usual case)
// no field has to be looked up in the Connection lists.
bool lists_other_options(const std::vector<HeaderField>& headers, const MessageFacts& facts) {
  if (facts.connection.empty()) return false;
  for (const HeaderField& field : headers) {
    // The usual value is one handled option: matched whole, it needs no list walk.
    if (!syntax::equals_lower(field.name, "connection") || is_handled_option(field.value)) {
      continue;
    }
    const bool other = syntax::find_in_list(
        field.value, [](std::string_view option) { return !is_handled_option(option); });
    if (other) return true;
  }
  return false;
}

// RFC 9110 7.6.1: a field named by any Connection field is hop-by-hop. Every Connection
// field is read, not only the first one kept in MessageFacts::connection.
bool named_by_connection(const std::vector<HeaderField>& headers, std::string_view name) {
  for (const HeaderField& field : headers) {
    if (syntax::equals_lower(field.name, "connection") && list_contains_token(field.value, name)) {
      return true;
    }
  }
  return false;
}

// A request-target split for forwarding: absolute-form yields its authority (the Host to
// send) and the rest, which starts with '/' or '?' or is empty; other forms are all rest.
struct SplitTarget {
  std::string_view authority;
  std::string_view rest;
};

SplitTarget split_target(std::string_view target) {
  if (target.empty() || target.front() == '/') return {{}, target};
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return {{}, target};
  const std::size_t start = scheme_end + 3;
  const std::size_t end = target.find_first_of("/?", start);
  if (end == std::string_view::npos) return {target.substr(start), {}};
  return {target.substr(start, end - start), target.substr(end)};
}

}  // namespace

void write_upstream_request(const RequestHead& head, const ForwardContext& ctx, std::string& out) {
  const SplitTarget target = split_target(head.target);
  HeadWriter w(out, kAddedBytes + fields_size(head.headers) + head.method.size() +
                        2 * head.target.size() + 2 * ctx.client_ip.size() + ctx.scheme.size() +
                        ctx.request_id.size() + head.facts.upgrade.size());
  const bool slash =
      !target.authority.empty() && (target.rest.empty() || target.rest.front() == '?');
  w.put(head.method, " ", std::string_view("/", slash ? 1 : 0), target.rest, " HTTP/1.1\r\n");

  const bool check_options = lists_other_options(head.headers, head.facts);
  // For absolute-form the authority wins over the Host field (RFC 9112 3.2.2).
  std::string_view host = target.authority;
  bool host_written = false;
  for (const HeaderField& field : head.headers) {
    switch (syntax::classify_field(field.name)) {
      case FieldKind::kHost:
        if (target.authority.empty()) {
          host = field.value;
          w.copy_field(field);
        } else {
          w.field(field.name, host);
        }
        host_written = true;
        break;
      case FieldKind::kContentLength:
        w.copy_field(field);
        break;
      case FieldKind::kOther:
        if (!check_options || !named_by_connection(head.headers, field.name)) {
          w.copy_field(field);
        }
        break;
      default:
        // Hop-by-hop fields, Expect (answered by Portico), and the fields Portico sets below.
        break;
    }
  }
  // An HTTP/1.0 client may omit Host, but the upstream receives HTTP/1.1, which requires it.
  if (!host_written) w.field("Host", host);

  w.put("X-Forwarded-For: ");
  if (!head.x_forwarded_for.empty()) {
    for (const HeaderField& field : head.headers) {
      if (field.value.empty() || !syntax::equals_lower(field.name, "x-forwarded-for")) continue;
      w.put(field.value, ", ");
    }
  }
  w.put(ctx.client_ip, "\r\nX-Real-IP: ", ctx.client_ip, "\r\nX-Forwarded-Proto: ", ctx.scheme,
        "\r\n");
  if (!host.empty()) w.field("X-Forwarded-Host", host);
  w.put("X-Forwarded-Port: ");
  w.number(ctx.listener_port);
  w.put("\r\n");
  if (is_valid_request_id(head.x_request_id)) {
    w.field("X-Request-ID", head.x_request_id);
  } else if (is_valid_request_id(ctx.request_id)) {
    w.field("X-Request-ID", ctx.request_id);
  }

  if (ctx.tunnel) {
    w.put("Connection: upgrade\r\n");
    if (!head.facts.upgrade.empty()) w.field("Upgrade", head.facts.upgrade);
  }
  if (head.facts.framing == BodyFraming::kChunked) w.put("Transfer-Encoding: chunked\r\n");
  w.put("\r\n");
}

void write_client_response(const ResponseHead& head, const ResponseContext& ctx, std::string& out) {
  HeadWriter w(
      out, kAddedBytes + fields_size(head.headers) + head.reason.size() + ctx.request_id.size());
  write_status_line(w, head.status, head.reason.empty() ? reason_phrase(head.status) : head.reason);
  const bool switching = head.status == 101;
  const bool check_options = lists_other_options(head.headers, head.facts);
  bool has_request_id = false;
  for (const HeaderField& field : head.headers) {
    bool keep = true;
    switch (syntax::classify_field(field.name)) {
      case FieldKind::kConnection:
      case FieldKind::kUpgrade:
        keep = switching;
        break;
      case FieldKind::kKeepAlive:
      case FieldKind::kProxyConnection:
      case FieldKind::kTe:
      case FieldKind::kTrailer:
        keep = false;
        break;
      case FieldKind::kTransferEncoding:
        keep = !ctx.dechunk;
        break;
      case FieldKind::kXRequestId:
        has_request_id = true;
        break;
      case FieldKind::kOther:
        keep = !check_options || !named_by_connection(head.headers, field.name);
        break;
      default:
        break;  // end-to-end in a response
    }
    if (keep) w.copy_field(field);
  }
  if (!switching) {
    if (!ctx.keep_client_alive) {
      w.put("Connection: close\r\n");
    } else if (ctx.client_version_minor == 0) {
      w.put("Connection: keep-alive\r\n");
    }
  }
  if (!has_request_id && is_valid_request_id(ctx.request_id)) {
    w.field("X-Request-ID", ctx.request_id);
  }
  w.put("\r\n");
}

void write_error_response(uint16_t status, bool close, std::string_view request_id,
                          std::string& out, uint32_t retry_after_seconds) {
  const std::string_view reason = reason_phrase(status);
  HeadWriter w(out, kAddedBytes + 2 * reason.size() + request_id.size());
  write_status_line(w, status, reason);
  w.put("Content-Type: text/plain\r\nContent-Length: ");
  w.number(static_cast<unsigned>(reason.size() + 1));
  w.put("\r\n");
  if (is_valid_request_id(request_id)) w.field("X-Request-ID", request_id);
  if (retry_after_seconds != 0) {
    w.put("Retry-After: ");
    w.number(retry_after_seconds);
    w.put("\r\n");
  }
  if (close) w.put("Connection: close\r\n");
  w.put("\r\n", reason, "\n");
}

std::string_view reason_phrase(uint16_t status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace portico::proxy::http
