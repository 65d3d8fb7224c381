#include "controller/annotations/hash_by.h"

#include <algorithm>

namespace portico::controller::annotations {
namespace {

constexpr std::string_view kHeaderPrefix = "header:";
constexpr std::string_view kCookiePrefix = "cookie:";

// Header names compare case-insensitively, so one spelling keeps equal policies equal.
std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

}  // namespace

Parsed<HashKey> parse_hash_by(const Annotations& annotations) {
  const std::optional<std::string_view> text = find_annotation(annotations, kHashByAnnotation);
  if (!text) return Parsed<HashKey>::absent();
  if (*text == "client-ip") return Parsed<HashKey>::of({proxy::HashSource::kClientIp, ""});
  if (*text == "path") return Parsed<HashKey>::of({proxy::HashSource::kPath, ""});
  if (text->starts_with(kHeaderPrefix)) {
    const std::string_view name = text->substr(kHeaderPrefix.size());
    if (!is_http_token(name)) {
      return Parsed<HashKey>::invalid(kHashByAnnotation, *text,
                                      "a header name is an RFC 9110 token (letters, digits, "
                                      "and !#$%&'*+-.^_`|~)");
    }
    return Parsed<HashKey>::of({proxy::HashSource::kHeader, lower_case(name)});
  }
  if (text->starts_with(kCookiePrefix)) {
    const std::string_view name = text->substr(kCookiePrefix.size());
    if (!is_http_token(name)) {
      return Parsed<HashKey>::invalid(kHashByAnnotation, *text,
                                      "a cookie name is an RFC 6265 token (letters, digits, "
                                      "and !#$%&'*+-.^_`|~)");
    }
    return Parsed<HashKey>::of({proxy::HashSource::kCookie, std::string(name)});
  }
  return Parsed<HashKey>::invalid(kHashByAnnotation, *text,
                                  "expects client-ip, path, header:<Name> or cookie:<name>");
}

}  // namespace portico::controller::annotations
