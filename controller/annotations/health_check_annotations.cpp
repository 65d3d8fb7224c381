#include "controller/annotations/health_check_annotations.h"

#include <algorithm>
#include <span>
#include <string>

#include "controller/annotations/duration.h"
#include "controller/annotations/health_check_path.h"
#include "controller/annotations/health_check_status.h"
#include "controller/annotations/whole_number.h"

namespace portico::controller::annotations {
namespace {

using Kind = proxy::ActiveHealthCheck::Kind;

constexpr const char* kCheckSettings[] = {
    kHealthCheckPathAnnotation,    kHealthCheckStatusAnnotation, kHealthCheckIntervalAnnotation,
    kHealthCheckTimeoutAnnotation, kHealthCheckFallAnnotation,   kHealthCheckRiseAnnotation,
};

// A message for each of `names` the Service carries: valid or not, it changes nothing.
void report_without_effect(const Annotations& annotations, std::span<const char* const> names,
                           std::string_view why, std::vector<std::string>& problems) {
  for (const char* name : names) {
    if (const std::optional<std::string_view> text = find_annotation(annotations, name)) {
      problems.push_back(describe(name, *text, why));
    }
  }
}

}  // namespace

Parsed<Kind> parse_health_check_kind(const Annotations& annotations) {
  const std::optional<std::string_view> text = find_annotation(annotations, kHealthCheckAnnotation);
  if (!text) return Parsed<Kind>::absent();
  if (*text == "http") return Parsed<Kind>::of(Kind::kHttp);
  if (*text == "tcp") return Parsed<Kind>::of(Kind::kTcp);
  return Parsed<Kind>::invalid(kHealthCheckAnnotation, *text, "expects http or tcp");
}

Annotated<proxy::ActiveHealthCheck> health_check_from(const Annotations& annotations) {
  Annotated<proxy::ActiveHealthCheck> result;
  proxy::ActiveHealthCheck& check = result.value;
  std::vector<std::string>& problems = result.problems;

  const Parsed<Kind> kind = parse_health_check_kind(annotations);
  if (kind.outcome == Outcome::kAbsent) {
    report_without_effect(annotations, kCheckSettings,
                          std::string("no effect without ") + kHealthCheckAnnotation, problems);
    return result;
  }
  check.enabled = kind.outcome == Outcome::kValue;
  apply(kind, check.kind, "no active checks", problems);

  if (check.enabled && check.kind == Kind::kTcp) {
    report_without_effect(annotations, std::span(kCheckSettings, 2), "no effect on a tcp check",
                          problems);
  } else {
    apply(parse_health_check_path(annotations), check.path, check.path, problems);
    StatusRange status{check.status_min, check.status_max};
    apply(parse_health_check_status(annotations), status,
          std::to_string(status.min) + "-" + std::to_string(status.max), problems);
    check.status_min = status.min;
    check.status_max = status.max;
  }

  apply(parse_duration(annotations, kHealthCheckIntervalAnnotation, kMinHealthCheckInterval,
                       kMaxHealthCheckInterval),
        check.interval, duration_text(check.interval), problems);
  // A check must end before the next one starts: unset, the timeout is the interval when
  // that is shorter than the default timeout.
  check.timeout = std::min(check.timeout, check.interval);
  apply(parse_duration(annotations, kHealthCheckTimeoutAnnotation, kMinHealthCheckTimeout,
                       check.interval),
        check.timeout, duration_text(check.timeout), problems);
  for (const auto& [name, threshold] : {std::pair{kHealthCheckFallAnnotation, &check.fall},
                                        std::pair{kHealthCheckRiseAnnotation, &check.rise}}) {
    apply(parse_whole_number(annotations, name, 1, kMaxHealthCheckThreshold), *threshold,
          std::to_string(*threshold), problems);
  }
  // An invalid kind leaves the Service without active checks: the other values were read
  // only so that their problems are reported too.
  if (!check.enabled) check = {};
  return result;
}

}  // namespace portico::controller::annotations
