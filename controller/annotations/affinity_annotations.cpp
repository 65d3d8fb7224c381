#include "controller/annotations/affinity_annotations.h"

#include <optional>
#include <string>
#include <string_view>

#include "controller/annotations/affinity.h"
#include "controller/annotations/session_cookie_name.h"
#include "controller/annotations/session_cookie_path.h"
#include "controller/annotations/whole_number.h"

namespace portico::controller::annotations {
namespace {

// `parse` under the Portico name, else under ingress-nginx's.
template <typename Parse>
auto portico_then_nginx(const Parse& parse, std::string_view portico, std::string_view nginx) {
  auto parsed = parse(portico);
  if (parsed.outcome != Outcome::kAbsent) return parsed;
  return parse(nginx);
}

}  // namespace

Annotated<proxy::SessionAffinity> session_affinity_from(const Annotations& annotations) {
  const proxy::SessionAffinity defaults;
  Annotated<proxy::SessionAffinity> result;
  proxy::SessionAffinity& affinity = result.value;
  std::vector<std::string>& problems = result.problems;

  apply(portico_then_nginx([&](std::string_view name) { return parse_affinity(annotations, name); },
                           kAffinityAnnotation, kNginxAffinityAnnotation),
        affinity.enabled, "off", problems);
  if (!affinity.enabled) return result;

  apply(portico_then_nginx(
            [&](std::string_view name) { return parse_session_cookie_name(annotations, name); },
            kSessionCookieNameAnnotation, kNginxSessionCookieNameAnnotation),
        affinity.cookie_name, defaults.cookie_name, problems);
  apply(portico_then_nginx(
            [&](std::string_view name) {
              return parse_whole_number(annotations, name, 1, kMaxSessionCookieMaxAge);
            },
            kSessionCookieMaxAgeAnnotation, kNginxSessionCookieMaxAgeAnnotation),
        affinity.max_age_seconds, "no Max-Age, a session cookie", problems);
  apply(portico_then_nginx(
            [&](std::string_view name) { return parse_session_cookie_path(annotations, name); },
            kSessionCookiePathAnnotation, kNginxSessionCookiePathAnnotation),
        affinity.path, defaults.path, problems);
  return result;
}

}  // namespace portico::controller::annotations
