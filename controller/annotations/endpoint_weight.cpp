#include "controller/annotations/endpoint_weight.h"

#include <charconv>
#include <string>

#include "controller/annotations/whole_number.h"

namespace portico::controller::annotations {

Parsed<uint32_t> parse_endpoint_weight(const Annotations& annotations) {
  // Translation reads this once per endpoint (50,000 in a large cluster), so the usual
  // cases, absent and plain digits, are answered here without building the strings that
  // parse_whole_number() prepares for its message; everything else goes to it.
  static const std::string key(kEndpointWeightAnnotation);
  const auto it = annotations.find(key);
  if (it == annotations.end()) return Parsed<uint32_t>::absent();
  const std::string& text = it->second;
  uint32_t value = 0;
  const char* const last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (end == last && error == std::errc() && value <= kMaxEndpointWeight) {
    return Parsed<uint32_t>::of(value);
  }
  return parse_whole_number(annotations, kEndpointWeightAnnotation, 0, kMaxEndpointWeight);
}

}  // namespace portico::controller::annotations
