#pragma once
// portico.io/session-cookie-path, and ingress-nginx's
// nginx.ingress.kubernetes.io/session-cookie-path: the Path attribute of the affinity cookie
// (affinity.h), so that the browser sends it back only under that path. An absolute path
// ("/" first) of at most kMaxSessionCookiePathSize bytes of visible ASCII except ';' and ','
// (RFC 6265 section 4.1.1 path-value, without the space; the comma, which older clients
// split Set-Cookie on, is refused too): the text goes into a response header, so nothing is
// let through that could end the attribute, the field or the head. Anything else is
// invalid. Default "/". Pure; any thread.
#include <cstddef>
#include <string>
#include <string_view>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kSessionCookiePathAnnotation[] = "portico.io/session-cookie-path";
inline constexpr char kNginxSessionCookiePathAnnotation[] =
    "nginx.ingress.kubernetes.io/session-cookie-path";

inline constexpr std::size_t kMaxSessionCookiePathSize = 1024;

// `annotation`'s cookie path (either name above).
Parsed<std::string> parse_session_cookie_path(const Annotations& annotations,
                                              std::string_view annotation);

}  // namespace portico::controller::annotations
