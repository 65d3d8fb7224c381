#include "controller/annotations/duration.h"

#include <charconv>
#include <cstdint>
#include <optional>

namespace portico::controller::annotations {
namespace {

// Milliseconds per unit; nullopt for an unknown unit.
std::optional<int64_t> unit_millis(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1'000;
  if (unit == "m") return 60'000;
  return std::nullopt;
}

std::string range_text(std::chrono::milliseconds min, std::chrono::milliseconds max) {
  if (min.count() == 0) return "must be at most " + duration_text(max);
  return "must be from " + duration_text(min) + " to " + duration_text(max);
}

}  // namespace

Parsed<std::chrono::milliseconds> parse_duration(const Annotations& annotations,
                                                 std::string_view annotation,
                                                 std::chrono::milliseconds min,
                                                 std::chrono::milliseconds max) {
  using ParsedDuration = Parsed<std::chrono::milliseconds>;
  const std::optional<std::string_view> text = find_annotation(annotations, annotation);
  if (!text) return ParsedDuration::absent();
  // from_chars accepts a leading '-'; a duration here never has one.
  const bool has_digit = !text->empty() && text->front() >= '0' && text->front() <= '9';
  int64_t count = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), count);
  const std::optional<int64_t> millis =
      unit_millis(text->substr(static_cast<std::size_t>(end - text->data())));
  if (!has_digit || !millis || (error != std::errc() && error != std::errc::result_out_of_range)) {
    return ParsedDuration::invalid(annotation, *text,
                                   "expects a whole number and a unit: ms, s or m (as in 30s)");
  }
  // Compared before multiplying, so that no count overflows.
  if (error == std::errc::result_out_of_range || count > max.count() / *millis ||
      count * *millis < min.count()) {
    return ParsedDuration::invalid(annotation, *text, range_text(min, max));
  }
  return ParsedDuration::of(std::chrono::milliseconds(count * *millis));
}

std::string duration_text(std::chrono::milliseconds duration) {
  const int64_t millis = duration.count();
  if (millis != 0 && millis % 60'000 == 0) return std::to_string(millis / 60'000) + "m";
  if (millis != 0 && millis % 1'000 == 0) return std::to_string(millis / 1'000) + "s";
  return std::to_string(millis) + "ms";
}

}  // namespace portico::controller::annotations
