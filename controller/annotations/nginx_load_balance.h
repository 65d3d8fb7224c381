#pragma once
// nginx.ingress.kubernetes.io/load-balance, read for Ingresses written for ingress-nginx
// when portico.io/load-balance is unset. Its values map onto Portico's algorithms:
//   round_robin -> round-robin
//   ewma        -> least-response-time (both pick by a decaying average of latency)
// Any other value (ingress-nginx's chash, chashsubset, sticky_balanced, sticky_persistent,
// or text it would refuse too) is ignored with a warning. Pure; any thread.
#include "controller/annotations/annotation_parser.h"
#include "proxy/balancer/balancing_policy.h"

namespace portico::controller::annotations {

inline constexpr char kNginxLoadBalanceAnnotation[] = "nginx.ingress.kubernetes.io/load-balance";

Parsed<proxy::Algorithm> parse_nginx_load_balance(const Annotations& annotations);

}  // namespace portico::controller::annotations
