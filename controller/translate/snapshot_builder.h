#pragma once
// The translation from Kubernetes objects to the proxy's RouteSnapshot. Pure apart from the
// endpoint registry, whose acquire() hands out the long-lived per-endpoint state: the same
// contents always give the same routes and the same warnings.
#include <cstdint>
#include <memory>
#include <vector>

#include "controller/store/store_contents.h"
#include "controller/translate/translate_options.h"
#include "controller/translate/warning.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"

namespace portico::controller {

inline constexpr char kUseRegexAnnotation[] = "portico.io/use-regex";
inline constexpr char kNginxUseRegexAnnotation[] = "nginx.ingress.kubernetes.io/use-regex";

struct Translation {
  std::shared_ptr<const proxy::RouteSnapshot> snapshot;  // never null
  std::vector<Warning> warnings;
};

// Rules of our Ingresses (see is_our_ingress) are added oldest Ingress first (creation
// time, then namespace/name) so that on a conflict the oldest keeps the route; every refused
// rule is a warning naming its Ingress and the others keep working. Path types: Exact and
// Prefix as written; ImplementationSpecific is a Prefix, or an RE2 regex when the Ingress
// carries portico.io/use-regex or nginx.ingress.kubernetes.io/use-regex "true". A missing
// path is "/". A rule whose Service or port is missing still routes, to a null backend (503).
// Each Ingress' backends balance by the policy its annotations choose over
// options.default_policy (controller/annotations/balancing_annotations.h) and retry by the
// policy they choose (controller/annotations/retry_annotations.h); health checks, outlier
// detection and circuit breakers come from the Services' annotations (backend_resolver.h).
// A refused annotation is a warning naming its object and never costs a route.
// The oldest of our Ingresses with spec.defaultBackend provides the default target.
// Any thread; reads `contents` only.
Translation build_snapshot(const StoreContents& contents, const TranslateOptions& options,
                           uint64_t generation, proxy::EndpointStateRegistry& registry);

}  // namespace portico::controller
