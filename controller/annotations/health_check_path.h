#pragma once
// portico.io/health-check-path (on a Service): the path an HTTP health check GETs. An
// absolute path of RFC 3986 path characters: "/" then unreserved characters, sub-delims,
// ":", "@", "/" and %XX escapes; no query, no fragment, no space. Anything else is invalid
// (the text goes into a request line, so nothing is let through that could split it).
// Default /healthz. Pure; any thread.
#include <string>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kHealthCheckPathAnnotation[] = "portico.io/health-check-path";

Parsed<std::string> parse_health_check_path(const Annotations& annotations);

}  // namespace portico::controller::annotations
