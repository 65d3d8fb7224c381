#pragma once
// nginx.ingress.kubernetes.io/upstream-hash-by, read for Ingresses written for
// ingress-nginx when portico.io/hash-by is unset. ingress-nginx takes any nginx expression;
// Portico evaluates none, so only a single variable (written $name or ${name}) that has a
// portico.io/hash-by meaning is mapped:
//   $remote_addr, $binary_remote_addr -> client-ip
//   $request_uri, $uri                -> path
//   $http_<name>                      -> header:<name>, underscores read as dashes
//   $cookie_<name>                    -> cookie:<name>
// Anything else ("$host$uri", "${request_uri}-v2", "$arg_id", ...) is ignored with a
// warning. Like hash-by it selects consistent-hash. Pure; any thread.
#include "controller/annotations/annotation_parser.h"
#include "controller/annotations/hash_by.h"

namespace portico::controller::annotations {

inline constexpr char kNginxUpstreamHashByAnnotation[] =
    "nginx.ingress.kubernetes.io/upstream-hash-by";

Parsed<HashKey> parse_nginx_upstream_hash_by(const Annotations& annotations);

}  // namespace portico::controller::annotations
