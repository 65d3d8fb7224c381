#include "controller/decode/scaling_policy_decoder.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "controller/annotations/duration.h"
#include "controller/decode/object_meta_decoder.h"

namespace portico::controller {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
// autoscaling/v2's MaxStabilizationWindowSeconds and MaxPeriodSeconds.
constexpr int64_t kMaxStabilizationWindowSeconds = 3600;
constexpr int64_t kMaxPeriodSeconds = 1800;
constexpr std::size_t kMaxQueryBytes = 4096;
constexpr std::size_t kMaxUrlBytes = 2048;
// The CRD bounds its lists, as the API server needs to cost its validation rules.
constexpr std::size_t kMaxMetrics = 10;
constexpr std::size_t kMaxRatePolicies = 10;

// Plain decimals in messages ("100000", not "1e+05"); scientific only beyond 32 characters.
std::string number_text(double value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec != std::errc()) result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void require(FieldReader& reader, const Field& field) {
  if (!field.present()) reader.fail(field, "is required");
}

int32_t read_int32(FieldReader& reader, const Field& field, int64_t min, int32_t absent) {
  return static_cast<int32_t>(reader.integer(field, min, kInt32Max).value_or(absent));
}

// A list given must hold 1 to `max` items.
void check_count(FieldReader& reader, const Field& list, std::size_t count, std::size_t max,
                 std::string_view one, std::string_view many) {
  if (!reader.ok()) return;
  if (count == 0) reader.fail(list, "needs at least one " + std::string(one));
  if (count > max) {
    reader.fail(list, "must have at most " + std::to_string(max) + " " + std::string(many) +
                          ", got " + std::to_string(count));
  }
}

// A DNS-1123 label ("web-1"), or with `letter_first` a DNS-1035 label (what a Service name
// is: "web", never "1web").
bool is_dns_label(std::string_view text, bool letter_first) {
  if (text.empty() || text.size() > 63 || text.front() == '-' || text.back() == '-') return false;
  if (letter_first && !(text.front() >= 'a' && text.front() <= 'z')) return false;
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// What a Deployment's name is: dot-separated DNS-1123 labels, at most 253 bytes.
bool is_dns1123_subdomain(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    if (!is_dns_label(text.substr(start, dot - start), false)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3986 pchar and '/': what a base path may hold, %HH escapes included.
bool is_path(std::string_view path) {
  static constexpr std::string_view kOther = "-._~!$&'()*+,;=:@/";
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) return false;
      i += 2;
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 kOther.find(c) != std::string_view::npos)) {
      return false;
    }
  }
  return true;
}

bool is_host_name(std::string_view host) {
  if (host.empty() || host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : host) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

bool is_port(std::string_view text) {
  int port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  return !text.empty() && text.front() != '-' && error == std::errc() &&
         end == text.data() + text.size() && port >= 1 && port <= 65535;
}

// Why `url` is not a Prometheus server's base URL, or nullopt when it is one: http or https,
// a host name or [IPv6] literal, an optional port and base path; no credentials, query or
// fragment (the autoscaler appends /api/v1/query), nothing that could split a request line.
std::optional<std::string> url_problem(std::string_view url) {
  if (url.size() > kMaxUrlBytes) {
    return "must be at most " + std::to_string(kMaxUrlBytes) + " bytes";
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return "must not contain spaces, control characters or non-ASCII bytes";
    }
  }
  std::string_view rest = url;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else {
    return "must start with http:// or https://";
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return "must not have a query or fragment (the autoscaler appends /api/v1/query)";
  }
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return "must not carry credentials";
  std::string_view port;
  bool host_ok = false;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    const std::string_view literal =
        close == std::string_view::npos ? "" : authority.substr(1, close - 1);
    host_ok = !literal.empty() &&
              literal.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
    const std::string_view after =
        close == std::string_view::npos ? "" : authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return "must have a valid host";
      port = after.substr(1);
      if (port.empty()) return "must have a port from 1 to 65535 after ':'";
    }
  } else {
    const std::size_t colon = authority.find(':');
    host_ok = is_host_name(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return "must have a port from 1 to 65535 after ':'";
    }
  }
  if (!host_ok) return "must have a valid host";
  if (!port.empty() && !is_port(port)) return "must have a port from 1 to 65535 after ':'";
  if (!is_path(path)) return "must have a path of URL characters (%-escape others)";
  return std::nullopt;
}

// Durations are written as in Portico's annotations (a whole number and ms, s or m: "5m"),
// so one grammar serves the whole product; a bare number has no unit and is refused.
std::optional<milliseconds> read_duration(FieldReader& reader, const Field& field, milliseconds min,
                                          milliseconds max) {
  const std::optional<std::string> text = reader.optional_string(field);
  if (!text) return std::nullopt;
  std::optional<milliseconds> value;
  // find_annotation() trims surrounding blanks; in a field they are an error, as in the CRD.
  if (text->find_first_of(" \t\r\n") == std::string::npos) {
    const annotations::Parsed<milliseconds> parsed =
        annotations::parse_duration({{"d", *text}}, "d", milliseconds(0), milliseconds::max());
    if (parsed.outcome == annotations::Outcome::kValue) value = parsed.value;
  }
  if (!value) {
    reader.fail(field,
                "must be a whole number and a unit, ms, s or m (as in 5m), got \"" + *text + "\"");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    reader.fail(field, "must be from " + annotations::duration_text(min) + " to " +
                           annotations::duration_text(max) + ", got " + *text);
    return std::nullopt;
  }
  return value;
}

// `field` must be a number above 0.
std::optional<double> read_positive(FieldReader& reader, const Field& field) {
  const std::optional<double> value = reader.number(field);
  if (value && *value <= 0) {
    reader.fail(field, "must be greater than 0, got " + number_text(*value));
    return std::nullopt;
  }
  return value;
}

// Exactly one of `target` (named `target_name`) and `metric`.thresholds must be set; returns
// the thresholds when they are the one.
std::optional<Thresholds> read_thresholds(FieldReader& reader, const Field& metric,
                                          const Field& target, std::string_view target_name) {
  const Field field = reader.member(metric, "thresholds");
  if (target.present() == field.present()) {
    reader.fail(metric, "needs exactly one of " + std::string(target_name) + " and thresholds");
    return std::nullopt;
  }
  if (!field.present()) return std::nullopt;
  Thresholds thresholds;
  const Field up = reader.member(field, "scaleUpAbove");
  const Field down = reader.member(field, "scaleDownBelow");
  require(reader, up);
  require(reader, down);
  thresholds.scale_up_above = reader.number(up).value_or(0);
  thresholds.scale_down_below = reader.number(down).value_or(0);
  if (reader.ok() && thresholds.scale_down_below < 0) {
    reader.fail(down, "must be at least 0, got " + number_text(thresholds.scale_down_below));
  }
  if (reader.ok() && thresholds.scale_down_below >= thresholds.scale_up_above) {
    reader.fail(down, "must be below scaleUpAbove (" + number_text(thresholds.scale_up_above) +
                          "), got " + number_text(thresholds.scale_down_below));
  }
  thresholds.step = read_int32(reader, reader.member(field, "step"), 1, 1);
  return thresholds;
}

CpuMetric read_cpu(FieldReader& reader, const Field& field) {
  CpuMetric cpu;
  const Field target = reader.member(field, "targetUtilization");
  cpu.thresholds = read_thresholds(reader, field, target, "targetUtilization");
  if (const std::optional<int64_t> percent = reader.integer(target, 1, 1000)) {
    cpu.target_utilization = static_cast<int32_t>(*percent);
  }
  return cpu;
}

QueueDepthMetric read_queue_depth(FieldReader& reader, const Field& field) {
  QueueDepthMetric queue;
  const Field service = reader.member(field, "service");
  queue.service = reader.required_string(service);
  if (reader.ok() && !is_dns_label(queue.service, true)) {
    reader.fail(service,
                "must be a Service name (a DNS-1035 label), got \"" + queue.service + "\"");
  }
  const Field target = reader.member(field, "targetPerReplica");
  queue.thresholds = read_thresholds(reader, field, target, "targetPerReplica");
  queue.target_per_replica = read_positive(reader, target);
  return queue;
}

PrometheusMetric read_prometheus(FieldReader& reader, const Field& field) {
  PrometheusMetric prometheus;
  const Field url = reader.member(field, "url");
  prometheus.url = reader.required_string(url);
  if (const std::optional<std::string> problem = url_problem(prometheus.url);
      reader.ok() && problem) {
    reader.fail(url, *problem);
  }
  const Field query = reader.member(field, "query");
  prometheus.query = reader.required_string(query);
  if (reader.ok() && prometheus.query.size() > kMaxQueryBytes) {
    reader.fail(query, "must be at most " + std::to_string(kMaxQueryBytes) + " bytes, got " +
                           std::to_string(prometheus.query.size()));
  }
  for (const char c : prometheus.query) {
    if (reader.ok() && (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)) {
      reader.fail(query,
                  "must not contain control characters or line breaks (fold a long query "
                  "with >-)");
    }
  }
  const Field target = reader.member(field, "targetPerReplica");
  prometheus.thresholds = read_thresholds(reader, field, target, "targetPerReplica");
  prometheus.target_per_replica = read_positive(reader, target);
  return prometheus;
}

ScalingMetric read_metric(FieldReader& reader, const Field& field) {
  const Field cpu = reader.member(field, "cpu");
  const Field queue_depth = reader.member(field, "queueDepth");
  const Field prometheus = reader.member(field, "prometheus");
  if (cpu.present() + queue_depth.present() + prometheus.present() != 1) {
    reader.fail(field, "needs exactly one of cpu, queueDepth and prometheus");
    return CpuMetric{};
  }
  if (cpu.present()) return read_cpu(reader, cpu);
  if (queue_depth.present()) return read_queue_depth(reader, queue_depth);
  return read_prometheus(reader, prometheus);
}

ScalingRatePolicy read_rate_policy(FieldReader& reader, const Field& field) {
  ScalingRatePolicy policy;
  const Field type = reader.member(field, "type");
  const std::string name = reader.required_string(type);
  if (name == "Pods") {
    policy.type = ScalingRatePolicy::Type::kPods;
  } else if (name == "Percent") {
    policy.type = ScalingRatePolicy::Type::kPercent;
  } else if (reader.ok()) {
    reader.fail(type, "must be Pods or Percent, got \"" + name + "\"");
  }
  const Field value = reader.member(field, "value");
  const Field period = reader.member(field, "periodSeconds");
  require(reader, value);
  require(reader, period);
  policy.value = read_int32(reader, value, 1, 0);
  policy.period_seconds =
      static_cast<int32_t>(reader.integer(period, 1, kMaxPeriodSeconds).value_or(0));
  return policy;
}

SelectPolicy read_select_policy(FieldReader& reader, const Field& field, SelectPolicy absent) {
  const std::optional<std::string> name = reader.optional_string(field);
  if (!name) return absent;
  if (*name == "Max") return SelectPolicy::kMax;
  if (*name == "Min") return SelectPolicy::kMin;
  if (*name == "Disabled") return SelectPolicy::kDisabled;
  reader.fail(field, "must be Max, Min or Disabled, got \"" + *name + "\"");
  return absent;
}

// autoscaling/v2 defaults (pkg/apis/autoscaling/v2/defaults.go, defaultHPAScaleUpRules) and
// the controller's flags for what that file leaves unset: the scale-down window
// (--horizontal-pod-autoscaler-downscale-stabilization, 5m) and the tolerance
// (--horizontal-pod-autoscaler-tolerance, 0.1).
ScalingRules default_scale_up_rules() {
  return ScalingRules{
      0,
      {{ScalingRatePolicy::Type::kPods, 4, 15}, {ScalingRatePolicy::Type::kPercent, 100, 15}},
      SelectPolicy::kMax,
      0.1};
}

ScalingRules default_scale_down_rules() {
  return ScalingRules{300, {{ScalingRatePolicy::Type::kPercent, 100, 15}}, SelectPolicy::kMax, 0.1};
}

// Each field the user set replaces the default's, as the HPA's copyHPAScalingRules does: a
// scaleUp with only a window keeps the default policies.
ScalingRules read_rules(FieldReader& reader, const Field& field, ScalingRules rules) {
  if (const std::optional<int64_t> window = reader.integer(
          reader.member(field, "stabilizationWindowSeconds"), 0, kMaxStabilizationWindowSeconds)) {
    rules.stabilization_window_seconds = static_cast<int32_t>(*window);
  }
  const Field policies = reader.member(field, "policies");
  if (policies.present()) {
    rules.policies.clear();
    for (const Field& policy : reader.items(policies)) {
      rules.policies.push_back(read_rate_policy(reader, policy));
    }
    check_count(reader, policies, rules.policies.size(), kMaxRatePolicies, "policy", "policies");
  }
  rules.select = read_select_policy(reader, reader.member(field, "selectPolicy"), rules.select);
  const Field tolerance = reader.member(field, "tolerance");
  if (const std::optional<double> value = reader.number(tolerance)) {
    if (*value < 0 || *value > 1) {
      reader.fail(tolerance, "must be between 0 and 1, got " + number_text(*value));
    }
    rules.tolerance = *value;
  }
  return rules;
}

ScaleToZero read_scale_to_zero(FieldReader& reader, const Field& field) {
  ScaleToZero scale_to_zero;
  const Field after = reader.member(field, "after");
  if (const auto value =
          read_duration(reader, after, std::chrono::seconds(1), std::chrono::hours(24))) {
    if (value->count() % 1000 != 0) {
      reader.fail(after,
                  "must be a whole number of seconds, got " + annotations::duration_text(*value));
    }
    scale_to_zero.after = std::chrono::duration_cast<std::chrono::seconds>(*value);
  }
  if (const auto size = reader.integer(reader.member(field, "queueSize"), 1, 100'000)) {
    scale_to_zero.queue_size = static_cast<uint32_t>(*size);
  }
  if (const auto timeout = read_duration(reader, reader.member(field, "queueTimeout"),
                                         milliseconds(1), std::chrono::minutes(10))) {
    scale_to_zero.queue_timeout = *timeout;
  }
  return scale_to_zero;
}

void read_target_ref(FieldReader& reader, const Field& field, ScalingPolicy& policy) {
  require(reader, field);
  const Field api_version = reader.member(field, "apiVersion");
  if (const auto version = reader.optional_string(api_version); version && *version != "apps/v1") {
    reader.fail(api_version, "must be apps/v1, got \"" + *version + "\"");
  }
  const Field kind = reader.member(field, "kind");
  policy.target_kind = reader.required_string(kind);
  if (reader.ok() && policy.target_kind != "Deployment") {
    reader.fail(kind, "only Deployment is supported, got \"" + policy.target_kind + "\"");
  }
  const Field name = reader.member(field, "name");
  policy.target_name = reader.required_string(name);
  if (reader.ok() && !is_dns1123_subdomain(policy.target_name)) {
    reader.fail(name, "must be a Deployment name (a DNS-1123 subdomain), got \"" +
                          policy.target_name + "\"");
  }
}

}  // namespace

ScalingPolicy read_scaling_policy(FieldReader& reader, const Field& root) {
  ScalingPolicy policy;
  policy.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  // The autoscaler's own status writes bump it; kept, each would be a change to translate
  // (and would hold the next real change back by the reconciler's debounce).
  policy.meta.resource_version.clear();
  const Field spec = reader.member(root, "spec");
  require(reader, spec);
  read_target_ref(reader, reader.member(spec, "targetRef"), policy);

  const Field min_replicas = reader.member(spec, "minReplicas");
  const Field max_replicas = reader.member(spec, "maxReplicas");
  policy.min_replicas = read_int32(reader, min_replicas, 0, 1);
  require(reader, max_replicas);
  policy.max_replicas = read_int32(reader, max_replicas, 1, 0);
  if (reader.ok() && policy.max_replicas < policy.min_replicas) {
    reader.fail(max_replicas, "must be at least minReplicas (" +
                                  std::to_string(policy.min_replicas) + "), got " +
                                  std::to_string(policy.max_replicas));
  }

  const Field metrics = reader.member(spec, "metrics");
  require(reader, metrics);
  for (const Field& metric : reader.items(metrics)) {
    policy.metrics.push_back(read_metric(reader, metric));
  }
  check_count(reader, metrics, policy.metrics.size(), kMaxMetrics, "metric", "metrics");

  const Field behavior = reader.member(spec, "behavior");
  policy.behavior.scale_up =
      read_rules(reader, reader.member(behavior, "scaleUp"), default_scale_up_rules());
  policy.behavior.scale_down =
      read_rules(reader, reader.member(behavior, "scaleDown"), default_scale_down_rules());

  const Field scale_to_zero = reader.member(spec, "scaleToZero");
  policy.scale_to_zero = read_scale_to_zero(reader, scale_to_zero);
  if (reader.ok() && scale_to_zero.present() && policy.min_replicas != 0) {
    reader.fail(scale_to_zero, "applies only with minReplicas 0");
  }
  // As the HPA allows minReplicas 0 only with an Object or External metric: CPU cannot be
  // measured with no pod, so only traffic or an external backlog can bring one back.
  const bool wakes_from_zero = std::any_of(
      policy.metrics.begin(), policy.metrics.end(),
      [](const ScalingMetric& metric) { return !std::holds_alternative<CpuMetric>(metric); });
  if (reader.ok() && policy.min_replicas == 0 && !wakes_from_zero) {
    reader.fail(min_replicas,
                "0 needs a queueDepth or prometheus metric: CPU cannot be measured with no pods");
  }
  return policy;
}

}  // namespace portico::controller
