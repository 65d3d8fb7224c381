#include "controller/annotations/retry_on.h"

#include <algorithm>
#include <optional>

namespace portico::controller::annotations {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<uint16_t> server_error_status(std::string_view text) {
  if (text.size() != 3 || text[0] != '5' || text[1] < '0' || text[1] > '9' || text[2] < '0' ||
      text[2] > '9') {
    return std::nullopt;
  }
  return static_cast<uint16_t>(500 + (text[1] - '0') * 10 + (text[2] - '0'));
}

}  // namespace

std::string retry_conditions_text(const RetryConditions& conditions) {
  std::string text;
  auto add = [&](std::string_view item) {
    if (!text.empty()) text += ", ";
    text += item;
  };
  if (conditions.connect_failure) add("connect-failure");
  if (conditions.reset) add("reset");
  for (const uint16_t status : conditions.statuses) add(std::to_string(status));
  return text.empty() ? "none" : text;
}

void add_retry_status(RetryConditions& conditions, uint16_t status) {
  const auto at = std::lower_bound(conditions.statuses.begin(), conditions.statuses.end(), status);
  if (at == conditions.statuses.end() || *at != status) conditions.statuses.insert(at, status);
}

Parsed<RetryConditions> parse_retry_on(const Annotations& annotations) {
  const std::optional<std::string_view> text = find_annotation(annotations, kRetryOnAnnotation);
  if (!text) return Parsed<RetryConditions>::absent();
  RetryConditions conditions;
  std::string_view rest = *text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = trim_spaces(rest.substr(0, comma));
    if (item == "connect-failure") {
      conditions.connect_failure = true;
    } else if (item == "reset") {
      conditions.reset = true;
    } else if (const std::optional<uint16_t> status = server_error_status(item)) {
      add_retry_status(conditions, *status);
    } else {
      return Parsed<RetryConditions>::invalid(
          kRetryOnAnnotation, *text,
          "expects a comma-separated list of connect-failure, reset and 5xx status codes "
          "(as in connect-failure, 503)");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return Parsed<RetryConditions>::of(std::move(conditions));
}

}  // namespace portico::controller::annotations
