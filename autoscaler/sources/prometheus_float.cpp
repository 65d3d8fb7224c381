#include "autoscaler/sources/prometheus_float.h"

#include <charconv>

namespace portico::autoscaler {

std::optional<double> parse_prometheus_float(std::string_view text) {
  // from_chars takes a '-' but not a '+'.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') {
    text.remove_prefix(1);
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace portico::autoscaler
