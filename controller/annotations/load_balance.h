#pragma once
// portico.io/load-balance: the algorithm that spreads an Ingress' requests over the
// endpoints of each Service it routes to. Any name parse_algorithm() knows: round-robin,
// weighted-round-robin, least-connections, weighted-least-connections, ip-hash,
// consistent-hash, least-response-time, random, power-of-two-choices, resource-based.
// Unset: the --load-balance default. Anything else is invalid. Pure; any thread.
#include "controller/annotations/annotation_parser.h"
#include "proxy/balancer/balancing_policy.h"

namespace portico::controller::annotations {

inline constexpr char kLoadBalanceAnnotation[] = "portico.io/load-balance";

Parsed<proxy::Algorithm> parse_load_balance(const Annotations& annotations);

}  // namespace portico::controller::annotations
