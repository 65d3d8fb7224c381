#include "controller/annotations/affinity.h"

namespace portico::controller::annotations {

Parsed<bool> parse_affinity(const Annotations& annotations, std::string_view annotation) {
  const std::optional<std::string_view> text = find_annotation(annotations, annotation);
  if (!text) return Parsed<bool>::absent();
  if (*text == "cookie") return Parsed<bool>::of(true);
  return Parsed<bool>::invalid(annotation, *text, "expects cookie, the only kind of affinity");
}

}  // namespace portico::controller::annotations
