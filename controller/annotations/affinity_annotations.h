#pragma once
// An Ingress' session affinity (proxy::SessionAffinity) from its annotations, for
// balancing_annotations.h:
//   portico.io/affinity                cookie turns it on (affinity.h); default off
//   portico.io/session-cookie-name     session_cookie_name.h; default PORTICO_AFFINITY
//   portico.io/session-cookie-max-age  seconds the cookie lasts, 1 to
//                                      kMaxSessionCookieMaxAge; default none (a session
//                                      cookie, dropped when the browser closes)
//   portico.io/session-cookie-path     session_cookie_path.h; default /
// and, for Ingresses written for ingress-nginx, their nginx.ingress.kubernetes.io/
// namesakes:
//  - portico.io/* wins over nginx.ingress.kubernetes.io/*, setting by setting: the nginx
//    annotation is read only when its Portico counterpart is absent (an invalid Portico
//    value still hides it);
//  - an invalid value: a message naming it, and that setting alone keeps its default (an
//    invalid affinity leaves affinity off).
// The cookie settings are read only while affinity is on, and keep their defaults while it
// is off, so that equal intentions give equal policies (and so share backends). Pure; any
// thread.
#include <cstdint>

#include "controller/annotations/annotation_parser.h"
#include "proxy/balancer/balancing_policy.h"

namespace portico::controller::annotations {

inline constexpr char kSessionCookieMaxAgeAnnotation[] = "portico.io/session-cookie-max-age";
inline constexpr char kNginxSessionCookieMaxAgeAnnotation[] =
    "nginx.ingress.kubernetes.io/session-cookie-max-age";

// The largest delta-seconds every client reads as a number (2^31 - 1).
inline constexpr uint32_t kMaxSessionCookieMaxAge = 2'147'483'647;

Annotated<proxy::SessionAffinity> session_affinity_from(const Annotations& annotations);

}  // namespace portico::controller::annotations
