#pragma once
// portico.io/retry-on (on an Ingress): what makes a failed attempt worth another one, as a
// comma-separated list (spaces around the commas allowed) of
//   connect-failure  the connection to the endpoint could not be made
//   reset            the endpoint closed the connection before any response byte
//   5xx              a response with that status code, 500 to 599 (typically 502, 503, 504)
// Setting it replaces the default (connect-failure, reset) as a whole. An empty list or
// anything else in it is invalid. Pure; any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kRetryOnAnnotation[] = "portico.io/retry-on";

struct RetryConditions {
  bool connect_failure = false;
  bool reset = false;
  std::vector<uint16_t> statuses;  // ascending, each once: equal lists compare equal

  bool operator==(const RetryConditions&) const = default;
};

// "connect-failure, reset, 503": the conditions as retry-on spells them, for messages.
std::string retry_conditions_text(const RetryConditions& conditions);

// Adds `status` to `conditions` in order, once.
void add_retry_status(RetryConditions& conditions, uint16_t status);

Parsed<RetryConditions> parse_retry_on(const Annotations& annotations);

}  // namespace portico::controller::annotations
