#pragma once
// portico.io/session-cookie-name, and ingress-nginx's
// nginx.ingress.kubernetes.io/session-cookie-name: the name of the cookie that pins a client
// to an endpoint (affinity.h). An RFC 6265 cookie-name, that is an RFC 9110 token (letters,
// digits and !#$%&'*+-.^_`|~), of at most kMaxSessionCookieNameSize bytes; matched case
// sensitively. Anything else is invalid. Default PORTICO_AFFINITY. Pure; any thread.
#include <cstddef>
#include <string>
#include <string_view>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kSessionCookieNameAnnotation[] = "portico.io/session-cookie-name";
inline constexpr char kNginxSessionCookieNameAnnotation[] =
    "nginx.ingress.kubernetes.io/session-cookie-name";

// It is repeated in every Set-Cookie; browsers keep cookies of 4 KiB at most.
inline constexpr std::size_t kMaxSessionCookieNameSize = 256;

// `annotation`'s cookie name (either name above).
Parsed<std::string> parse_session_cookie_name(const Annotations& annotations,
                                              std::string_view annotation);

}  // namespace portico::controller::annotations
