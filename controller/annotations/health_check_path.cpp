#include "controller/annotations/health_check_path.h"

namespace portico::controller::annotations {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 pchar, without pct-encoded, plus the "/" that separates segments.
bool is_path_char(char c) {
  constexpr std::string_view kOthers = "-._~!$&'()*+,;=:@/";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kOthers.find(c) != std::string_view::npos;
}

bool is_absolute_path(std::string_view path) {
  if (!path.starts_with('/')) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%') {
      if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) return false;
      i += 2;
    } else if (!is_path_char(path[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

Parsed<std::string> parse_health_check_path(const Annotations& annotations) {
  const std::optional<std::string_view> text =
      find_annotation(annotations, kHealthCheckPathAnnotation);
  if (!text) return Parsed<std::string>::absent();
  if (!is_absolute_path(*text)) {
    return Parsed<std::string>::invalid(
        kHealthCheckPathAnnotation, *text,
        "expects an absolute path of RFC 3986 path characters (as in /healthz), without query");
  }
  return Parsed<std::string>::of(std::string(*text));
}

}  // namespace portico::controller::annotations
