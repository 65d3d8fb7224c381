#pragma once
// ingress-nginx's retry annotations, read for Ingresses written for ingress-nginx when their
// portico.io counterparts are unset (retry_annotations.h says which wins over which).
//
// nginx.ingress.kubernetes.io/proxy-next-upstream-tries: attempts in all, 1 to 10, so
// portico.io/retries is one less. ingress-nginx's 0 (no bound) and anything else are
// ignored with a warning.
//
// nginx.ingress.kubernetes.io/proxy-next-upstream: space-separated nginx conditions:
//   error                           -> connect-failure and reset
//   http_500, http_502, http_503, http_504 -> that status
//   off                             -> no retries
//   timeout, invalid_header, http_403, http_404, http_429, non_idempotent -> not mapped
//     (Portico has no timeout or 4xx condition, and never retries a request once its body
//     was sent): the rest still applies, with a note naming them
// A value of which nothing maps, or with a word nginx does not know either, is ignored with
// a warning. Pure; any thread.
#include <cstdint>
#include <string>

#include "controller/annotations/annotation_parser.h"
#include "controller/annotations/retry_on.h"

namespace portico::controller::annotations {

inline constexpr char kNginxProxyNextUpstreamTriesAnnotation[] =
    "nginx.ingress.kubernetes.io/proxy-next-upstream-tries";
inline constexpr char kNginxProxyNextUpstreamAnnotation[] =
    "nginx.ingress.kubernetes.io/proxy-next-upstream";

inline constexpr uint32_t kMaxNginxTries = 10;

// The retries (tries - 1) the tries annotation allows.
Parsed<uint32_t> parse_nginx_proxy_next_upstream_tries(const Annotations& annotations);

struct NginxNextUpstream {
  bool off = false;
  RetryConditions conditions;
  // For a value that maps in part: names what did not, and why ("" when everything maps).
  std::string note;
};

Parsed<NginxNextUpstream> parse_nginx_proxy_next_upstream(const Annotations& annotations);

}  // namespace portico::controller::annotations
