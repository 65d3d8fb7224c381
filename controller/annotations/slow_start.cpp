#include "controller/annotations/slow_start.h"

#include <charconv>
#include <cstdint>

namespace portico::controller::annotations {
namespace {

// Milliseconds per unit; nullopt for an unknown unit.
std::optional<int64_t> unit_millis(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1'000;
  if (unit == "m") return 60'000;
  return std::nullopt;
}

}  // namespace

Parsed<std::chrono::milliseconds> parse_slow_start(const Annotations& annotations) {
  using ParsedDuration = Parsed<std::chrono::milliseconds>;
  const std::optional<std::string_view> text = find_annotation(annotations, kSlowStartAnnotation);
  if (!text) return ParsedDuration::absent();
  // from_chars accepts a leading '-'; a duration here never has one.
  const bool has_digit = !text->empty() && text->front() >= '0' && text->front() <= '9';
  int64_t count = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), count);
  const std::optional<int64_t> millis =
      unit_millis(text->substr(static_cast<std::size_t>(end - text->data())));
  if (!has_digit || error != std::errc() || !millis) {
    return ParsedDuration::invalid(kSlowStartAnnotation, *text,
                                   "expects a whole number and a unit: ms, s or m (as in 30s)");
  }
  if (count > kMaxSlowStart.count() / *millis) {
    return ParsedDuration::invalid(kSlowStartAnnotation, *text, "must be at most 10m");
  }
  return ParsedDuration::of(std::chrono::milliseconds(count * *millis));
}

}  // namespace portico::controller::annotations
