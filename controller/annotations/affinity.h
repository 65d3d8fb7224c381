#pragma once
// portico.io/affinity, and ingress-nginx's nginx.ingress.kubernetes.io/affinity for Ingresses
// written for it: "cookie" pins each client to one endpoint with a cookie (sticky sessions,
// proxy::SessionAffinity) on top of the balancing algorithm. Cookies are the only kind of
// affinity, in ingress-nginx too, so anything else is invalid and affinity stays off.
// affinity_annotations.h says which name wins. Pure; any thread.
#include <string_view>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kAffinityAnnotation[] = "portico.io/affinity";
inline constexpr char kNginxAffinityAnnotation[] = "nginx.ingress.kubernetes.io/affinity";

// Whether `annotation` (either name above) turns cookie affinity on.
Parsed<bool> parse_affinity(const Annotations& annotations, std::string_view annotation);

}  // namespace portico::controller::annotations
