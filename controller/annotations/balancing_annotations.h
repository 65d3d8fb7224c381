#pragma once
// An Ingress' balancing policy from its annotations (load_balance.h, nginx_load_balance.h,
// hash_by.h, nginx_upstream_hash_by.h, slow_start.h, affinity_annotations.h), on top of the
// global default:
//  - portico.io/* wins over nginx.ingress.kubernetes.io/*: the nginx annotation is read only
//    when its Portico counterpart is absent;
//  - a hash key without an explicit hashing algorithm selects consistent-hash (overriding a
//    non-hashing load-balance value, as ingress-nginx's upstream-hash-by does, with a
//    warning); a hashing algorithm without a hash key hashes the client address; ip-hash
//    always hashes the client address (a different hash key is warned about);
//  - slow-start replaces the default's window;
//  - an invalid Portico value: a warning naming it, and the Ingress gets the default
//    policy, whatever else it sets; an ingress-nginx value Portico cannot map: a warning,
//    and that annotation alone is ignored;
//  - session affinity (affinity_annotations.h) applies on top of whatever algorithm results,
//    with its own rules: a problem with it never resets the algorithm, nor the reverse.
// Fields the chosen algorithm does not use are left at their defaults, so that equal
// intentions give equal policies (and so share backends). Pure; any thread.
#include <string>
#include <vector>

#include "controller/annotations/annotation_parser.h"
#include "proxy/balancer/balancing_policy.h"

namespace portico::controller::annotations {

struct AnnotatedPolicy {
  proxy::BalancingPolicy policy;
  std::vector<std::string> problems;  // one message per annotation refused, ignored or overridden
};

AnnotatedPolicy balancing_policy_from(const Annotations& annotations,
                                      const proxy::BalancingPolicy& default_policy);

}  // namespace portico::controller::annotations
