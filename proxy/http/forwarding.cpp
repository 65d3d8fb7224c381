#include "proxy/http/forwarding.h"

#include <charconv>

#include "proxy/http/head_parser.h"
#include "proxy/http/syntax.h"

namespace portico::proxy::http {
namespace {

using syntax::FieldKind;

void append_number(std::string& out, unsigned value) {
  char digits[10];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void append_status_line(std::string& out, uint16_t status, std::string_view reason) {
  out.append("HTTP/1.1 ");
  append_number(out, status);
  out.push_back(' ');
  out.append(reason);
  out.append("\r\n");
}

// An X-Request-ID is passed on or echoed only when it is visible ASCII and short, so a client
// cannot use it to smuggle bytes into heads or logs.
bool is_valid_request_id(std::string_view id) {
  constexpr std::size_t kMaxLength = 200;
  if (id.empty() || id.size() > kMaxLength) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

bool is_connection(const HeaderField& field) {
  return iequals(field.name, "connection");
}

// True when some Connection field lists an option other than close, keep-alive or upgrade.
// Those three are handled by the fixed hop-by-hop rules, so with none other (the usual case)
// no field has to be looked up in the Connection lists.
bool lists_other_options(const std::vector<HeaderField>& headers, const MessageFacts& facts) {
  if (facts.connection.empty()) return false;
  for (const HeaderField& field : headers) {
    if (!is_connection(field)) continue;
    const bool other = syntax::find_in_list(field.value, [](std::string_view option) {
      return !iequals(option, "close") && !iequals(option, "keep-alive") &&
             !iequals(option, "upgrade");
    });
    if (other) return true;
  }
  return false;
}

// RFC 9110 7.6.1: a field named by any Connection field is hop-by-hop. Every Connection
// field is read, not only the first one kept in MessageFacts::connection.
bool named_by_connection(const std::vector<HeaderField>& headers, std::string_view name) {
  for (const HeaderField& field : headers) {
    if (is_connection(field) && list_contains_token(field.value, name)) return true;
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
  const std::size_t scheme_end = target.find("://");
  if (target.empty() || target.front() == '/' || scheme_end == std::string_view::npos) {
    return {{}, target};
  }
  const std::size_t start = scheme_end + 3;
  const std::size_t end = target.find_first_of("/?", start);
  if (end == std::string_view::npos) return {target.substr(start), {}};
  return {target.substr(start, end - start), target.substr(end)};
}

}  // namespace

void write_upstream_request(const RequestHead& head, const ForwardContext& ctx, std::string& out) {
  const SplitTarget target = split_target(head.target);
  out.append(head.method);
  out.push_back(' ');
  if (!target.authority.empty() && (target.rest.empty() || target.rest.front() == '?')) {
    out.push_back('/');
  }
  out.append(target.rest);
  out.append(" HTTP/1.1\r\n");

  const bool check_options = lists_other_options(head.headers, head.facts);
  // For absolute-form the authority wins over the Host field (RFC 9112 3.2.2).
  std::string_view host = target.authority;
  bool host_written = false;
  for (const HeaderField& field : head.headers) {
    switch (syntax::classify_field(field.name)) {
      case FieldKind::kHost:
        if (target.authority.empty()) host = field.value;
        append_field(out, field.name, host);
        host_written = true;
        break;
      case FieldKind::kContentLength:
        append_field(out, field.name, field.value);
        break;
      case FieldKind::kOther:
        if (!check_options || !named_by_connection(head.headers, field.name)) {
          append_field(out, field.name, field.value);
        }
        break;
      default:
        // Hop-by-hop fields, Expect (answered by Portico), and the fields Portico sets below.
        break;
    }
  }
  // An HTTP/1.0 client may omit Host, but the upstream receives HTTP/1.1, which requires it.
  if (!host_written) append_field(out, "Host", host);

  out.append("X-Forwarded-For: ");
  if (!head.x_forwarded_for.empty()) {
    for (const HeaderField& field : head.headers) {
      if (field.value.empty() || !iequals(field.name, "x-forwarded-for")) continue;
      out.append(field.value);
      out.append(", ");
    }
  }
  out.append(ctx.client_ip);
  out.append("\r\n");
  append_field(out, "X-Real-IP", ctx.client_ip);
  append_field(out, "X-Forwarded-Proto", ctx.scheme);
  if (!host.empty()) append_field(out, "X-Forwarded-Host", host);
  out.append("X-Forwarded-Port: ");
  append_number(out, ctx.listener_port);
  out.append("\r\n");
  const std::string_view request_id =
      is_valid_request_id(head.x_request_id) ? head.x_request_id : ctx.request_id;
  if (is_valid_request_id(request_id)) append_field(out, "X-Request-ID", request_id);

  if (ctx.tunnel) {
    append_field(out, "Connection", "upgrade");
    if (!head.facts.upgrade.empty()) append_field(out, "Upgrade", head.facts.upgrade);
  }
  if (head.facts.framing == BodyFraming::kChunked) {
    append_field(out, "Transfer-Encoding", "chunked");
  }
  out.append("\r\n");
}

void write_client_response(const ResponseHead& head, const ResponseContext& ctx, std::string& out) {
  append_status_line(out, head.status,
                     head.reason.empty() ? reason_phrase(head.status) : head.reason);
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
    if (keep) append_field(out, field.name, field.value);
  }
  if (!switching) {
    if (!ctx.keep_client_alive) {
      append_field(out, "Connection", "close");
    } else if (ctx.client_version_minor == 0) {
      append_field(out, "Connection", "keep-alive");
    }
  }
  if (!has_request_id && is_valid_request_id(ctx.request_id)) {
    append_field(out, "X-Request-ID", ctx.request_id);
  }
  out.append("\r\n");
}

void write_error_response(uint16_t status, bool close, std::string_view request_id,
                          std::string& out) {
  const std::string_view reason = reason_phrase(status);
  append_status_line(out, status, reason);
  append_field(out, "Content-Type", "text/plain");
  out.append("Content-Length: ");
  append_number(out, static_cast<unsigned>(reason.size() + 1));
  out.append("\r\n");
  if (is_valid_request_id(request_id)) append_field(out, "X-Request-ID", request_id);
  if (close) append_field(out, "Connection", "close");
  out.append("\r\n");
  out.append(reason);
  out.push_back('\n');
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
