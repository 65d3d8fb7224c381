#include "controller/annotations/session_cookie_name.h"

namespace portico::controller::annotations {

Parsed<std::string> parse_session_cookie_name(const Annotations& annotations,
                                              std::string_view annotation) {
  const std::optional<std::string_view> text = find_annotation(annotations, annotation);
  if (!text) return Parsed<std::string>::absent();
  if (!is_http_token(*text) || text->size() > kMaxSessionCookieNameSize) {
    return Parsed<std::string>::invalid(
        annotation, *text,
        "a cookie name is an RFC 6265 token (letters, digits, and !#$%&'*+-.^_`|~) of at most " +
            std::to_string(kMaxSessionCookieNameSize) + " bytes");
  }
  return Parsed<std::string>::of(std::string(*text));
}

}  // namespace portico::controller::annotations
