#include "controller/annotations/balancing_annotations.h"

#include <chrono>

#include "controller/annotations/affinity_annotations.h"
#include "controller/annotations/hash_by.h"
#include "controller/annotations/load_balance.h"
#include "controller/annotations/nginx_load_balance.h"
#include "controller/annotations/nginx_upstream_hash_by.h"
#include "controller/annotations/slow_start.h"

namespace portico::controller::annotations {
namespace {

// One annotation's outcome, with the name it was read under (Portico's or ingress-nginx's).
template <typename T>
struct Read {
  Parsed<T> parsed;
  const char* annotation;
};

template <typename T>
Read<T> portico_then_nginx(const Annotations& annotations, Parsed<T> (*portico)(const Annotations&),
                           const char* portico_name, Parsed<T> (*nginx)(const Annotations&),
                           const char* nginx_name) {
  Parsed<T> parsed = portico(annotations);
  if (parsed.outcome != Outcome::kAbsent) return {std::move(parsed), portico_name};
  return {nginx(annotations), nginx_name};
}

// For messages about a value that parsed but loses to another annotation.
std::string describe_present(const Annotations& annotations, const char* annotation,
                             std::string_view why) {
  return describe(annotation, find_annotation(annotations, annotation).value_or(""), why);
}

}  // namespace

AnnotatedPolicy balancing_policy_from(const Annotations& annotations,
                                      const proxy::BalancingPolicy& default_policy) {
  const Read<proxy::Algorithm> algorithm =
      portico_then_nginx(annotations, parse_load_balance, kLoadBalanceAnnotation,
                         parse_nginx_load_balance, kNginxLoadBalanceAnnotation);
  const Read<HashKey> key =
      portico_then_nginx(annotations, parse_hash_by, kHashByAnnotation,
                         parse_nginx_upstream_hash_by, kNginxUpstreamHashByAnnotation);
  const Parsed<std::chrono::milliseconds> slow_start = parse_slow_start(annotations);

  AnnotatedPolicy result{default_policy, {}};
  // Affinity sits on top of the algorithm, so problems with either leave the other alone.
  Annotated<proxy::SessionAffinity> affinity = session_affinity_from(annotations);
  result.policy.affinity = std::move(affinity.value);
  result.problems = std::move(affinity.problems);
  bool invalid = false;
  for (const auto& [outcome, problem] :
       {std::pair{algorithm.parsed.outcome, &algorithm.parsed.problem},
        std::pair{key.parsed.outcome, &key.parsed.problem},
        std::pair{slow_start.outcome, &slow_start.problem}}) {
    if (outcome == Outcome::kInvalid) {
      invalid = true;
      result.problems.push_back(*problem + "; the Ingress uses the default policy (" +
                                std::string(proxy::algorithm_name(default_policy.algorithm)) + ")");
    } else if (outcome == Outcome::kIgnored) {
      result.problems.push_back(*problem + "; ignored");
    }
  }
  if (invalid) return result;

  proxy::BalancingPolicy& policy = result.policy;
  const bool explicit_algorithm = algorithm.parsed.outcome == Outcome::kValue;
  if (explicit_algorithm) {
    policy.algorithm = algorithm.parsed.value;
    policy.hash_source = proxy::HashSource::kClientIp;
  }
  if (key.parsed.outcome == Outcome::kValue) {
    if (explicit_algorithm && policy.algorithm == proxy::Algorithm::kIpHash) {
      if (key.parsed.value.source != proxy::HashSource::kClientIp) {
        result.problems.push_back(describe_present(
            annotations, key.annotation,
            "ignored: ip-hash always hashes the client address (use consistent-hash)"));
      }
    } else {
      if (explicit_algorithm && policy.algorithm != proxy::Algorithm::kConsistentHash) {
        result.problems.push_back(describe_present(
            annotations, algorithm.annotation,
            std::string("overridden: ") + key.annotation + " selects consistent-hash"));
      }
      policy.algorithm = proxy::Algorithm::kConsistentHash;
      policy.hash_source = key.parsed.value.source;
      policy.hash_name = key.parsed.value.name;
    }
  }
  if (slow_start.outcome == Outcome::kValue) policy.slow_start = slow_start.value;

  if (policy.algorithm != proxy::Algorithm::kConsistentHash) {
    policy.hash_source = proxy::HashSource::kClientIp;
  }
  if (policy.hash_source != proxy::HashSource::kHeader &&
      policy.hash_source != proxy::HashSource::kCookie) {
    policy.hash_name.clear();
  }
  return result;
}

}  // namespace portico::controller::annotations
