#include "controller/annotations/whole_number.h"

#include <charconv>
#include <string>

namespace portico::controller::annotations {

Parsed<uint32_t> parse_whole_number(const Annotations& annotations, std::string_view annotation,
                                    uint32_t min, uint32_t max) {
  const std::optional<std::string_view> text = find_annotation(annotations, annotation);
  if (!text) return Parsed<uint32_t>::absent();
  const std::string range =
      "expects a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  // from_chars accepts a leading '-' for signed types only, but says nothing of what follows
  // the digits: both ends are checked here.
  const bool has_digit = !text->empty() && text->front() >= '0' && text->front() <= '9';
  uint32_t value = 0;
  const char* const last = text->data() + text->size();
  const auto [end, error] = std::from_chars(text->data(), last, value);
  if (!has_digit || end != last || error != std::errc() || value < min || value > max) {
    return Parsed<uint32_t>::invalid(annotation, *text, range);
  }
  return Parsed<uint32_t>::of(value);
}

}  // namespace portico::controller::annotations
