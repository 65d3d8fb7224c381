#include "controller/annotations/load_balance.h"

namespace portico::controller::annotations {
namespace {

// Every algorithm's name, for the message that refuses a value. Algorithm::kResourceBased
// is the enum's last value.
std::string accepted_names() {
  std::string names;
  for (int i = 0; i <= static_cast<int>(proxy::Algorithm::kResourceBased); ++i) {
    if (!names.empty()) names += ", ";
    names += proxy::algorithm_name(static_cast<proxy::Algorithm>(i));
  }
  return names;
}

}  // namespace

Parsed<proxy::Algorithm> parse_load_balance(const Annotations& annotations) {
  const std::optional<std::string_view> text = find_annotation(annotations, kLoadBalanceAnnotation);
  if (!text) return Parsed<proxy::Algorithm>::absent();
  if (const std::optional<proxy::Algorithm> algorithm = proxy::parse_algorithm(*text)) {
    return Parsed<proxy::Algorithm>::of(*algorithm);
  }
  return Parsed<proxy::Algorithm>::invalid(kLoadBalanceAnnotation, *text,
                                           "expects one of " + accepted_names());
}

}  // namespace portico::controller::annotations
