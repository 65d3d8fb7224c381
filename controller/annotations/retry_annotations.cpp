#include "controller/annotations/retry_annotations.h"

#include <string>

#include "controller/annotations/duration.h"
#include "controller/annotations/nginx_proxy_next_upstream.h"
#include "controller/annotations/retry_on.h"
#include "controller/annotations/whole_number.h"

namespace portico::controller::annotations {

Annotated<proxy::RetryPolicy> retry_policy_from(const Annotations& annotations) {
  Annotated<proxy::RetryPolicy> result;
  proxy::RetryPolicy& policy = result.value;
  std::vector<std::string>& problems = result.problems;

  const Parsed<uint32_t> retries =
      parse_whole_number(annotations, kRetriesAnnotation, 0, kMaxRetries);
  const Parsed<RetryConditions> retry_on = parse_retry_on(annotations);
  // Each nginx annotation is read only when what it maps onto is not set the Portico way.
  const bool portico_count = retries.outcome != Outcome::kAbsent;
  const bool portico_conditions = retry_on.outcome != Outcome::kAbsent;
  const Parsed<NginxNextUpstream> next_upstream =
      portico_count && portico_conditions ? Parsed<NginxNextUpstream>::absent()
                                          : parse_nginx_proxy_next_upstream(annotations);
  const bool off = next_upstream.outcome == Outcome::kValue && next_upstream.value.off;
  if (next_upstream.outcome == Outcome::kIgnored) {
    problems.push_back(next_upstream.problem + "; ignored");
  } else if (!next_upstream.value.note.empty()) {
    problems.push_back(next_upstream.value.note);
  }

  const std::string default_count = std::to_string(policy.retries);
  if (portico_count) {
    apply(retries, policy.retries, default_count, problems);
  } else if (off) {
    policy.retries = 0;
  } else {
    apply(parse_nginx_proxy_next_upstream_tries(annotations), policy.retries, default_count,
          problems);
  }

  RetryConditions conditions{policy.on_connect_failure, policy.on_reset, policy.on_statuses};
  if (portico_conditions) {
    apply(retry_on, conditions, retry_conditions_text(conditions), problems);
  } else if (next_upstream.outcome == Outcome::kValue && !off) {
    conditions = next_upstream.value.conditions;
  }

  apply(parse_duration(annotations, kPerTryTimeoutAnnotation, kMinPerTryTimeout, kMaxPerTryTimeout),
        policy.per_try_timeout,
        policy.per_try_timeout.count() == 0 ? "the upstream timeout"
                                            : duration_text(policy.per_try_timeout),
        problems);
  apply(parse_whole_number(annotations, kRetryBudgetAnnotation, 0, 100), policy.budget_percent,
        std::to_string(policy.budget_percent) + "%", problems);

  if (policy.retries == 0) {
    const proxy::RetryPolicy defaults;
    policy.budget_percent = defaults.budget_percent;
    policy.min_retries_per_10s = defaults.min_retries_per_10s;
    conditions = {defaults.on_connect_failure, defaults.on_reset, defaults.on_statuses};
  }
  policy.on_connect_failure = conditions.connect_failure;
  policy.on_reset = conditions.reset;
  policy.on_statuses = std::move(conditions.statuses);
  return result;
}

}  // namespace portico::controller::annotations
