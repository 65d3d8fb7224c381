#include "controller/annotations/health_check_status.h"

#include <optional>

namespace portico::controller::annotations {
namespace {

std::optional<uint16_t> status_code(std::string_view text) {
  if (text.size() != 3) return std::nullopt;
  uint16_t code = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    code = static_cast<uint16_t>(code * 10 + (c - '0'));
  }
  if (code < 100 || code > 599) return std::nullopt;
  return code;
}

}  // namespace

Parsed<StatusRange> parse_health_check_status(const Annotations& annotations) {
  const std::optional<std::string_view> text =
      find_annotation(annotations, kHealthCheckStatusAnnotation);
  if (!text) return Parsed<StatusRange>::absent();
  const std::size_t dash = text->find('-');
  const std::optional<uint16_t> min = status_code(text->substr(0, dash));
  const std::optional<uint16_t> max =
      dash == std::string_view::npos ? min : status_code(text->substr(dash + 1));
  if (!min || !max || *min > *max) {
    return Parsed<StatusRange>::invalid(
        kHealthCheckStatusAnnotation, *text,
        "expects a status code or a range of them from 100 to 599 (as in 200 or 200-399)");
  }
  return Parsed<StatusRange>::of({*min, *max});
}

}  // namespace portico::controller::annotations
