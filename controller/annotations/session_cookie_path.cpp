#include "controller/annotations/session_cookie_path.h"

#include <algorithm>

namespace portico::controller::annotations {
namespace {

bool is_path_value_char(char c) {
  return c > ' ' && c < 0x7f && c != ';' && c != ',';
}

}  // namespace

Parsed<std::string> parse_session_cookie_path(const Annotations& annotations,
                                              std::string_view annotation) {
  const std::optional<std::string_view> text = find_annotation(annotations, annotation);
  if (!text) return Parsed<std::string>::absent();
  if (!text->starts_with('/') || text->size() > kMaxSessionCookiePathSize ||
      !std::all_of(text->begin(), text->end(), is_path_value_char)) {
    return Parsed<std::string>::invalid(annotation, *text,
                                        "expects an absolute path (as in /shop) of at most " +
                                            std::to_string(kMaxSessionCookiePathSize) +
                                            " bytes of visible ASCII, without ';' or ','");
  }
  return Parsed<std::string>::of(std::string(*text));
}

}  // namespace portico::controller::annotations
