#pragma once
// An Ingress' retry policy from its annotations (retries are a routing decision, as
// ingress-nginx's proxy-next-upstream is), on top of proxy::RetryPolicy's defaults:
//   portico.io/retries          further attempts after the first, 0 to 10; default 2
//   portico.io/retry-on         retry_on.h; default connect-failure, reset
//   portico.io/per-try-timeout  each attempt's timeout, a duration (duration.h) from 10ms
//                               to 60m; default the upstream timeout
//   portico.io/retry-budget     the share of requests retries may add, 0 to 100 (percent);
//                               default 20
// and, for Ingresses written for ingress-nginx, nginx_proxy_next_upstream.h:
//  - portico.io/* wins over nginx.ingress.kubernetes.io/*, setting by setting: the retry
//    count is portico.io/retries, else 0 when proxy-next-upstream says off, else
//    proxy-next-upstream-tries; the conditions are portico.io/retry-on, else
//    proxy-next-upstream's (unless off);
//  - an invalid Portico value: a message naming it, and that setting alone keeps its default
//    (it still hides its nginx counterpart); an nginx value Portico cannot map: a message,
//    and that annotation alone is ignored.
// Fields that do nothing without retries (conditions, budget) stay at their defaults when
// retries are 0, so that equal intentions give equal policies (and so share backends).
// Pure; any thread.
#include <chrono>
#include <cstdint>

#include "controller/annotations/annotation_parser.h"
#include "proxy/upstream/retry_policy.h"

namespace portico::controller::annotations {

inline constexpr char kRetriesAnnotation[] = "portico.io/retries";
inline constexpr char kPerTryTimeoutAnnotation[] = "portico.io/per-try-timeout";
inline constexpr char kRetryBudgetAnnotation[] = "portico.io/retry-budget";

inline constexpr uint32_t kMaxRetries = 10;
inline constexpr std::chrono::milliseconds kMinPerTryTimeout{10};
inline constexpr std::chrono::milliseconds kMaxPerTryTimeout = std::chrono::hours(1);

Annotated<proxy::RetryPolicy> retry_policy_from(const Annotations& annotations);

}  // namespace portico::controller::annotations
