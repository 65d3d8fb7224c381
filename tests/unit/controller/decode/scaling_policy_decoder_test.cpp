#include "controller/decode/scaling_policy_decoder.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/unit/controller/decode/scaling_policy_test_support.h"

namespace portico::controller {
namespace {

using namespace std::chrono_literals;
using scaling_test::decode_policy;
using scaling_test::edit;
using scaling_test::kComplete;
using scaling_test::to_json;
using Type = ScalingRatePolicy::Type;

constexpr char kMinimal[] = R"(apiVersion: autoscaling.portico.io/v1alpha1
kind: ScalingPolicy
metadata: {name: web, namespace: shop}
spec:
  targetRef: {kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
    - cpu: {targetUtilization: 70}
)";

// autoscaling/v2's defaults, from pkg/apis/autoscaling/v2/defaults.go and the HPA
// controller's --horizontal-pod-autoscaler-downscale-stabilization (5m) and
// --horizontal-pod-autoscaler-tolerance (0.1).
const ScalingRules kHpaScaleUp{
    0, {{Type::kPods, 4, 15}, {Type::kPercent, 100, 15}}, SelectPolicy::kMax, 0.1};
const ScalingRules kHpaScaleDown{300, {{Type::kPercent, 100, 15}}, SelectPolicy::kMax, 0.1};

// Decodes `yaml` (after `edits`) from YAML and from its JSON twin; expects both to succeed
// with equal values and returns that value.
ScalingPolicy decode_both(const char* yaml,
                          std::vector<std::pair<const char*, const char*>> edits = {}) {
  YAML::Node document = YAML::Load(yaml);
  for (const auto& [path, value] : edits) edit(document, path, value);
  const Result<ScalingPolicy> from_yaml = decode_policy(document);
  const Result<ScalingPolicy> from_json = decode_policy(to_json(document));
  if (!from_yaml.ok() || !from_json.ok()) {
    ADD_FAILURE() << (from_yaml.ok() ? from_json.error() : from_yaml.error());
    return {};
  }
  EXPECT_TRUE(from_yaml.value() == from_json.value()) << "YAML and JSON decode differently";
  return from_yaml.value();
}

TEST(ScalingPolicyDecoder, ReadsEveryField) {
  const ScalingPolicy policy = decode_both(kComplete);
  EXPECT_EQ(policy.meta.name, "web");
  EXPECT_EQ(policy.meta.namespace_, "shop");
  EXPECT_EQ(policy.meta.uid, "u-1");
  EXPECT_EQ(policy.meta.resource_version, "")
      << "status writes bump it: not a change to the policy";
  EXPECT_EQ(policy.target_kind, "Deployment");
  EXPECT_EQ(policy.target_name, "web-frontend");
  EXPECT_EQ(policy.min_replicas, 0);
  EXPECT_EQ(policy.max_replicas, 20);

  ASSERT_EQ(policy.metrics.size(), 3u);
  EXPECT_EQ(std::get<CpuMetric>(policy.metrics[0]), (CpuMetric{65, std::nullopt}));
  EXPECT_EQ(std::get<QueueDepthMetric>(policy.metrics[1]),
            (QueueDepthMetric{"web", 12.5, std::nullopt}));
  EXPECT_EQ(std::get<PrometheusMetric>(policy.metrics[2]),
            (PrometheusMetric{"https://prometheus.monitoring.svc:9090/prom",
                              R"(sum(kafka_consumergroup_lag{group="web"}))", std::nullopt,
                              Thresholds{1000, 100, 3}}));

  EXPECT_EQ(policy.behavior.scale_up,
            (ScalingRules{30, {{Type::kPods, 8, 10}}, SelectPolicy::kMin, 0.05}));
  EXPECT_EQ(
      policy.behavior.scale_down,
      (ScalingRules{
          600, {{Type::kPercent, 50, 60}, {Type::kPods, 2, 30}}, SelectPolicy::kDisabled, 0.2}));
  EXPECT_EQ(policy.scale_to_zero, (ScaleToZero{600s, 500, 1500ms}));
}

TEST(ScalingPolicyDecoder, FillsTheDefaults) {
  const ScalingPolicy policy = decode_both(kMinimal);
  EXPECT_EQ(policy.min_replicas, 1);
  EXPECT_EQ(policy.behavior.scale_up, kHpaScaleUp);
  EXPECT_EQ(policy.behavior.scale_down, kHpaScaleDown);
  EXPECT_EQ(policy.scale_to_zero, (ScaleToZero{300s, 100, 60s}));

  const ScalingPolicy to_zero = decode_both(kMinimal, {{"spec.minReplicas", "0"},
                                                       {"spec.metrics.0",
                                                        "{queueDepth: {service: web, "
                                                        "targetPerReplica: 4}}"}});
  EXPECT_EQ(to_zero.min_replicas, 0);
  EXPECT_EQ(to_zero.scale_to_zero, (ScaleToZero{300s, 100, 60s}));
  EXPECT_EQ(decode_both(kMinimal, {{"spec.minReplicas", "0"},
                                   {"spec.metrics.0",
                                    "{queueDepth: {service: web, "
                                    "targetPerReplica: 4}}"},
                                   {"spec.scaleToZero", "{after: 90s}"}})
                .scale_to_zero,
            (ScaleToZero{90s, 100, 60s}));
}

// As the HPA's copyHPAScalingRules: each field given replaces the default's, the others stay.
TEST(ScalingPolicyDecoder, FillsBehaviorDefaultsFieldByField) {
  const ScalingPolicy window_only =
      decode_both(kMinimal, {{"spec.behavior", "{scaleUp: {stabilizationWindowSeconds: 60}}"}});
  ScalingRules up = kHpaScaleUp;
  up.stabilization_window_seconds = 60;
  EXPECT_EQ(window_only.behavior.scale_up, up);
  EXPECT_EQ(window_only.behavior.scale_down, kHpaScaleDown);

  const ScalingPolicy policies_only = decode_both(
      kMinimal,
      {{"spec.behavior", "{scaleDown: {policies: [{type: Pods, value: 1, periodSeconds: 60}]}}"}});
  EXPECT_EQ(policies_only.behavior.scale_up, kHpaScaleUp);
  EXPECT_EQ(policies_only.behavior.scale_down,
            (ScalingRules{300, {{Type::kPods, 1, 60}}, SelectPolicy::kMax, 0.1}));

  const ScalingPolicy disabled = decode_both(
      kMinimal, {{"spec.behavior", "{scaleDown: {selectPolicy: Disabled, tolerance: 0}}"}});
  EXPECT_EQ(disabled.behavior.scale_down,
            (ScalingRules{300, {{Type::kPercent, 100, 15}}, SelectPolicy::kDisabled, 0}));

  EXPECT_EQ(decode_both(kMinimal, {{"spec.behavior", "{}"}}).behavior,
            (ScalingBehavior{kHpaScaleUp, kHpaScaleDown}));
  EXPECT_EQ(decode_both(kMinimal, {{"spec.behavior", "{scaleUp: {}, scaleDown: null}"}}).behavior,
            (ScalingBehavior{kHpaScaleUp, kHpaScaleDown}));
}

TEST(ScalingPolicyDecoder, ReadsTheThresholdForm) {
  const ScalingPolicy policy = decode_both(
      kMinimal, {{"spec.metrics.0.cpu", "{thresholds: {scaleUpAbove: 70, scaleDownBelow: 30}}"}});
  EXPECT_EQ(std::get<CpuMetric>(policy.metrics[0]),
            (CpuMetric{std::nullopt, Thresholds{70, 30, 1}}));

  const ScalingPolicy queue =
      decode_both(kMinimal, {{"spec.metrics.0",
                              "{queueDepth: {service: api, thresholds: {scaleUpAbove: 2.5, "
                              "scaleDownBelow: 0, step: 4}}}"}});
  EXPECT_EQ(std::get<QueueDepthMetric>(queue.metrics[0]),
            (QueueDepthMetric{"api", std::nullopt, Thresholds{2.5, 0, 4}}));
}

TEST(ScalingPolicyDecoder, AcceptsEveryFormOfAValidValue) {
  auto url = [](const char* text) {
    const ScalingPolicy policy = decode_both(kComplete, {{"spec.metrics.2.prometheus.url", text}});
    return std::get<PrometheusMetric>(policy.metrics.at(2)).url;
  };
  EXPECT_EQ(url("http://10.0.0.7"), "http://10.0.0.7");
  EXPECT_EQ(url("http://prometheus:9090/"), "http://prometheus:9090/");
  EXPECT_EQ(url("'https://[fd00::1]:9090/a%20b/~x'"), "https://[fd00::1]:9090/a%20b/~x");

  auto target = [](const char* text) {
    const ScalingPolicy policy =
        decode_both(kComplete, {{"spec.metrics.1.queueDepth.targetPerReplica", text}});
    return std::get<QueueDepthMetric>(policy.metrics.at(1)).target_per_replica;
  };
  EXPECT_EQ(target("3"), 3.0);
  EXPECT_EQ(target("0.25"), 0.25);
  EXPECT_EQ(target("1e3"), 1000.0);

  auto after = [](const char* text) {
    return decode_both(kComplete, {{"spec.scaleToZero.after", text}}).scale_to_zero.after;
  };
  EXPECT_EQ(after("1s"), 1s);
  EXPECT_EQ(after("2000ms"), 2s);
  EXPECT_EQ(after("1440m"), 24h);
  EXPECT_EQ(decode_both(kComplete, {{"spec.scaleToZero.queueTimeout", "10m"}})
                .scale_to_zero.queue_timeout,
            10min);
  EXPECT_EQ(decode_both(kComplete, {{"spec.targetRef.apiVersion", nullptr},
                                    {"spec.targetRef.name", "web.v2-blue"}})
                .target_name,
            "web.v2-blue");
  // minReplicas 0 is allowed with a Prometheus metric alone: it reads a backlog without pods.
  EXPECT_EQ(decode_both(kComplete, {{"spec.metrics.0", nullptr}}).metrics.size(), 3u);
}

struct Rejection {
  std::vector<std::pair<const char*, const char*>> edits;  // applied to kComplete
  std::string message;                                     // "path: message"
};

const std::string kLongLabel(64, 'a');
const std::string kLongQuery(4097, 'q');

const std::vector<Rejection> kRejections = {
    {{{"metadata", nullptr}}, "metadata: is required"},
    {{{"spec", nullptr}}, "spec: is required"},
    {{{"spec", "[]"}}, "spec: must be an object"},
    {{{"spec.targetRef", nullptr}}, "spec.targetRef: is required"},
    {{{"spec.targetRef.apiVersion", "apps/v1beta1"}},
     R"(spec.targetRef.apiVersion: must be apps/v1, got "apps/v1beta1")"},
    {{{"spec.targetRef.kind", nullptr}}, "spec.targetRef.kind: is required"},
    {{{"spec.targetRef.kind", "StatefulSet"}},
     R"(spec.targetRef.kind: only Deployment is supported, got "StatefulSet")"},
    {{{"spec.targetRef.name", nullptr}}, "spec.targetRef.name: is required"},
    {{{"spec.targetRef.name", "Web_1"}},
     R"(spec.targetRef.name: must be a Deployment name (a DNS-1123 subdomain), got "Web_1")"},
    {{{"spec.targetRef.name", "web..v2"}},
     R"(spec.targetRef.name: must be a Deployment name (a DNS-1123 subdomain), got "web..v2")"},
    {{{"spec.minReplicas", "-1"}}, "spec.minReplicas: must be between 0 and 2147483647, got -1"},
    {{{"spec.maxReplicas", nullptr}}, "spec.maxReplicas: is required"},
    {{{"spec.maxReplicas", "0"}}, "spec.maxReplicas: must be between 1 and 2147483647, got 0"},
    {{{"spec.maxReplicas", "ten"}}, R"(spec.maxReplicas: must be an integer, got "ten")"},
    {{{"spec.minReplicas", "3"}, {"spec.maxReplicas", "2"}, {"spec.scaleToZero", nullptr}},
     "spec.maxReplicas: must be at least minReplicas (3), got 2"},
    {{{"spec.metrics", nullptr}}, "spec.metrics: is required"},
    {{{"spec.metrics", "[]"}}, "spec.metrics: needs at least one metric"},
    {{{"spec.metrics",
       "[{cpu: {targetUtilization: 1}}, {cpu: {targetUtilization: 2}}, "
       "{cpu: {targetUtilization: 3}}, {cpu: {targetUtilization: 4}}, "
       "{cpu: {targetUtilization: 5}}, {cpu: {targetUtilization: 6}}, "
       "{cpu: {targetUtilization: 7}}, {cpu: {targetUtilization: 8}}, "
       "{cpu: {targetUtilization: 9}}, {cpu: {targetUtilization: 10}}, "
       "{queueDepth: {service: web, targetPerReplica: 1}}]"}},
     "spec.metrics: must have at most 10 metrics, got 11"},
    {{{"spec.metrics.0", "{}"}},
     "spec.metrics[0]: needs exactly one of cpu, queueDepth and prometheus"},
    {{{"spec.metrics.0", "{memory: {targetUtilization: 70}}"}},
     "spec.metrics[0]: needs exactly one of cpu, queueDepth and prometheus"},
    {{{"spec.metrics.0.queueDepth", "{service: web, targetPerReplica: 1}"}},
     "spec.metrics[0]: needs exactly one of cpu, queueDepth and prometheus"},
    {{{"spec.metrics.0.cpu.targetUtilization", "0"}},
     "spec.metrics[0].cpu.targetUtilization: must be between 1 and 1000, got 0"},
    {{{"spec.metrics.0.cpu.targetUtilization", "1001"}},
     "spec.metrics[0].cpu.targetUtilization: must be between 1 and 1000, got 1001"},
    {{{"spec.metrics.0.cpu.targetUtilization", nullptr}},
     "spec.metrics[0].cpu: needs exactly one of targetUtilization and thresholds"},
    {{{"spec.metrics.0.cpu.thresholds", "{scaleUpAbove: 70, scaleDownBelow: 30}"}},
     "spec.metrics[0].cpu: needs exactly one of targetUtilization and thresholds"},
    {{{"spec.metrics.1.queueDepth.service", nullptr}},
     "spec.metrics[1].queueDepth.service: is required"},
    {{{"spec.metrics.1.queueDepth.service", "1web"}},
     R"(spec.metrics[1].queueDepth.service: must be a Service name (a DNS-1035 label), got "1web")"},
    {{{"spec.metrics.1.queueDepth.service", "web.shop"}},
     R"(spec.metrics[1].queueDepth.service: must be a Service name (a DNS-1035 label), got "web.shop")"},
    {{{"spec.metrics.1.queueDepth.service", kLongLabel.c_str()}},
     "spec.metrics[1].queueDepth.service: must be a Service name (a DNS-1035 label), got \"" +
         kLongLabel + "\""},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", "0"}},
     "spec.metrics[1].queueDepth.targetPerReplica: must be greater than 0, got 0"},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", "-2.5"}},
     "spec.metrics[1].queueDepth.targetPerReplica: must be greater than 0, got -2.5"},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", "ten"}},
     R"(spec.metrics[1].queueDepth.targetPerReplica: must be a number, got "ten")"},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", "inf"}},
     R"(spec.metrics[1].queueDepth.targetPerReplica: must be a number, got "inf")"},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", "nan"}},
     R"(spec.metrics[1].queueDepth.targetPerReplica: must be a number, got "nan")"},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", "0x10"}},
     R"(spec.metrics[1].queueDepth.targetPerReplica: must be a number, got "0x10")"},
    {{{"spec.metrics.1.queueDepth.targetPerReplica", nullptr}},
     "spec.metrics[1].queueDepth: needs exactly one of targetPerReplica and thresholds"},
    {{{"spec.metrics.2.prometheus.url", nullptr}}, "spec.metrics[2].prometheus.url: is required"},
    {{{"spec.metrics.2.prometheus.url", "ftp://prometheus"}},
     "spec.metrics[2].prometheus.url: must start with http:// or https://"},
    {{{"spec.metrics.2.prometheus.url", "HTTP://prometheus"}},
     "spec.metrics[2].prometheus.url: must start with http:// or https://"},
    {{{"spec.metrics.2.prometheus.url", "'http://prometheus:9090/api?x=1'"}},
     "spec.metrics[2].prometheus.url: must not have a query or fragment (the autoscaler appends "
     "/api/v1/query)"},
    {{{"spec.metrics.2.prometheus.url", "'http://prometheus/#top'"}},
     "spec.metrics[2].prometheus.url: must not have a query or fragment (the autoscaler appends "
     "/api/v1/query)"},
    {{{"spec.metrics.2.prometheus.url", "http://admin:secret@prometheus"}},
     "spec.metrics[2].prometheus.url: must not carry credentials"},
    {{{"spec.metrics.2.prometheus.url", "'http://prometheus :9090'"}},
     "spec.metrics[2].prometheus.url: must not contain spaces, control characters or non-ASCII "
     "bytes"},
    {{{"spec.metrics.2.prometheus.url", R"("http://prometheus\r\nHost: evil")"}},
     "spec.metrics[2].prometheus.url: must not contain spaces, control characters or non-ASCII "
     "bytes"},
    {{{"spec.metrics.2.prometheus.url", "http://"}},
     "spec.metrics[2].prometheus.url: must have a valid host"},
    {{{"spec.metrics.2.prometheus.url", "http://prom..monitoring"}},
     "spec.metrics[2].prometheus.url: must have a valid host"},
    {{{"spec.metrics.2.prometheus.url", "'http://[::1'"}},
     "spec.metrics[2].prometheus.url: must have a valid host"},
    {{{"spec.metrics.2.prometheus.url", "http://prometheus:0"}},
     "spec.metrics[2].prometheus.url: must have a port from 1 to 65535 after ':'"},
    {{{"spec.metrics.2.prometheus.url", "http://prometheus:65536/"}},
     "spec.metrics[2].prometheus.url: must have a port from 1 to 65535 after ':'"},
    {{{"spec.metrics.2.prometheus.url", "http://prometheus:/"}},
     "spec.metrics[2].prometheus.url: must have a port from 1 to 65535 after ':'"},
    {{{"spec.metrics.2.prometheus.url", "http://prometheus/a%zz"}},
     "spec.metrics[2].prometheus.url: must have a path of URL characters (%-escape others)"},
    {{{"spec.metrics.2.prometheus.url", "http://prometheus/a<b>"}},
     "spec.metrics[2].prometheus.url: must have a path of URL characters (%-escape others)"},
    {{{"spec.metrics.2.prometheus.query", "''"}}, "spec.metrics[2].prometheus.query: is required"},
    {{{"spec.metrics.2.prometheus.query", R"x("sum(up)\nor vector(0)")x"}},
     "spec.metrics[2].prometheus.query: must not contain control characters or line breaks (fold "
     "a long query with >-)"},
    {{{"spec.metrics.2.prometheus.query", kLongQuery.c_str()}},
     "spec.metrics[2].prometheus.query: must be at most 4096 bytes, got 4097"},
    {{{"spec.metrics.2.prometheus.targetPerReplica", "5"}},
     "spec.metrics[2].prometheus: needs exactly one of targetPerReplica and thresholds"},
    {{{"spec.metrics.2.prometheus.thresholds.scaleUpAbove", nullptr}},
     "spec.metrics[2].prometheus.thresholds.scaleUpAbove: is required"},
    {{{"spec.metrics.2.prometheus.thresholds.scaleDownBelow", nullptr}},
     "spec.metrics[2].prometheus.thresholds.scaleDownBelow: is required"},
    {{{"spec.metrics.2.prometheus.thresholds.scaleDownBelow", "1000"}},
     "spec.metrics[2].prometheus.thresholds.scaleDownBelow: must be below scaleUpAbove (1000), got "
     "1000"},
    {{{"spec.metrics.2.prometheus.thresholds.scaleDownBelow", "-0.5"}},
     "spec.metrics[2].prometheus.thresholds.scaleDownBelow: must be at least 0, got -0.5"},
    {{{"spec.metrics.2.prometheus.thresholds.step", "0"}},
     "spec.metrics[2].prometheus.thresholds.step: must be between 1 and 2147483647, got 0"},
    {{{"spec.behavior", "fast"}}, "spec.behavior: must be an object"},
    {{{"spec.behavior.scaleUp.stabilizationWindowSeconds", "3601"}},
     "spec.behavior.scaleUp.stabilizationWindowSeconds: must be between 0 and 3600, got 3601"},
    {{{"spec.behavior.scaleDown.stabilizationWindowSeconds", "-1"}},
     "spec.behavior.scaleDown.stabilizationWindowSeconds: must be between 0 and 3600, got -1"},
    {{{"spec.behavior.scaleDown.policies", "[]"}},
     "spec.behavior.scaleDown.policies: needs at least one policy"},
    {{{"spec.behavior.scaleUp.policies.0.type", "Replicas"}},
     R"(spec.behavior.scaleUp.policies[0].type: must be Pods or Percent, got "Replicas")"},
    {{{"spec.behavior.scaleUp.policies.0.type", nullptr}},
     "spec.behavior.scaleUp.policies[0].type: is required"},
    {{{"spec.behavior.scaleUp.policies.0.value", "0"}},
     "spec.behavior.scaleUp.policies[0].value: must be between 1 and 2147483647, got 0"},
    {{{"spec.behavior.scaleUp.policies.0.value", nullptr}},
     "spec.behavior.scaleUp.policies[0].value: is required"},
    {{{"spec.behavior.scaleDown.policies.1.periodSeconds", "1801"}},
     "spec.behavior.scaleDown.policies[1].periodSeconds: must be between 1 and 1800, got 1801"},
    {{{"spec.behavior.scaleDown.policies.1.periodSeconds", nullptr}},
     "spec.behavior.scaleDown.policies[1].periodSeconds: is required"},
    {{{"spec.behavior.scaleUp.selectPolicy", "max"}},
     R"(spec.behavior.scaleUp.selectPolicy: must be Max, Min or Disabled, got "max")"},
    {{{"spec.behavior.scaleUp.tolerance", "1.5"}},
     "spec.behavior.scaleUp.tolerance: must be between 0 and 1, got 1.5"},
    {{{"spec.behavior.scaleDown.tolerance", "-0.1"}},
     "spec.behavior.scaleDown.tolerance: must be between 0 and 1, got -0.1"},
    {{{"spec.scaleToZero.after", "5h"}},
     R"(spec.scaleToZero.after: must be a whole number and a unit, ms, s or m (as in 5m), got "5h")"},
    {{{"spec.scaleToZero.after", "1m30s"}},
     R"(spec.scaleToZero.after: must be a whole number and a unit, ms, s or m (as in 5m), got "1m30s")"},
    {{{"spec.scaleToZero.after", "' 5m'"}},
     R"(spec.scaleToZero.after: must be a whole number and a unit, ms, s or m (as in 5m), got " 5m")"},
    {{{"spec.scaleToZero.after", "0s"}},
     "spec.scaleToZero.after: must be from 1s to 1440m, got 0s"},
    {{{"spec.scaleToZero.after", "1441m"}},
     "spec.scaleToZero.after: must be from 1s to 1440m, got 1441m"},
    {{{"spec.scaleToZero.after", "1500ms"}},
     "spec.scaleToZero.after: must be a whole number of seconds, got 1500ms"},
    {{{"spec.scaleToZero.queueSize", "0"}},
     "spec.scaleToZero.queueSize: must be between 1 and 100000, got 0"},
    {{{"spec.scaleToZero.queueSize", "100001"}},
     "spec.scaleToZero.queueSize: must be between 1 and 100000, got 100001"},
    {{{"spec.scaleToZero.queueTimeout", "11m"}},
     "spec.scaleToZero.queueTimeout: must be from 1ms to 10m, got 11m"},
    {{{"spec.scaleToZero.queueTimeout", "0ms"}},
     "spec.scaleToZero.queueTimeout: must be from 1ms to 10m, got 0ms"},
    {{{"spec.minReplicas", "1"}}, "spec.scaleToZero: applies only with minReplicas 0"},
    {{{"spec.scaleToZero", nullptr}, {"spec.metrics", "[{cpu: {targetUtilization: 70}}]"}},
     "spec.minReplicas: 0 needs a queueDepth or prometheus metric: CPU cannot be measured with no "
     "pods"},
};

// The error without its source: "sp.yaml:LINE: " or "api: ", each checked.
std::string without_source(const std::string& error) {
  static const std::regex kPrefix("^(sp\\.yaml:[0-9]+|api): ");
  std::smatch match;
  if (!std::regex_search(error, match, kPrefix)) return "(no source) " + error;
  return match.suffix();
}

TEST(ScalingPolicyDecoder, RejectsEachMistakeNamingItsFieldInBothTrees) {
  for (const Rejection& rejection : kRejections) {
    YAML::Node document = YAML::Load(kComplete);
    for (const auto& [path, value] : rejection.edits) edit(document, path, value);
    const Result<ScalingPolicy> from_yaml = decode_policy(document);
    const Result<ScalingPolicy> from_json = decode_policy(to_json(document));
    ASSERT_FALSE(from_yaml.ok()) << rejection.message;
    ASSERT_FALSE(from_json.ok()) << rejection.message;
    EXPECT_EQ(without_source(from_yaml.error()), rejection.message);
    EXPECT_EQ(from_json.error(), "api: " + rejection.message);
  }
}

TEST(ScalingPolicyDecoder, YamlErrorsNameTheLine) {
  const Result<ScalingPolicy> wrong_service = decode_policy(
      YAML::Load(std::regex_replace(kComplete, std::regex("service: web"), "service: Web")));
  ASSERT_FALSE(wrong_service.ok());
  EXPECT_EQ(wrong_service.error(),
            "sp.yaml:19: spec.metrics[1].queueDepth.service: must be a Service name (a DNS-1035 "
            "label), got \"Web\"");
  // An absent field is reported at its parent's line: the list item's.
  const Result<ScalingPolicy> missing_period = decode_policy(
      YAML::Load(std::regex_replace(kComplete, std::regex("          periodSeconds: 30\n"), "")));
  ASSERT_FALSE(missing_period.ok());
  EXPECT_EQ(missing_period.error(),
            "sp.yaml:43: spec.behavior.scaleDown.policies[1].periodSeconds: is required");
}

// JSON is typed: where YAML reads a scalar as what the field wants, JSON needs the right type.
TEST(ScalingPolicyDecoder, JsonValuesMustHaveTheFieldsType) {
  YAML::Node document = YAML::Load(kComplete);
  auto json_error = [&](const char* path, const char* value) {
    YAML::Node edited = YAML::Clone(document);
    edit(edited, path, value);
    const Result<ScalingPolicy> result = decode_policy(to_json(edited));
    return result.ok() ? std::string("decoded") : result.error();
  };
  EXPECT_EQ(json_error("spec.maxReplicas", "'20'"),
            R"(api: spec.maxReplicas: must be an integer, got "20")");
  EXPECT_EQ(json_error("spec.behavior.scaleUp.tolerance", "'0.1'"),
            R"(api: spec.behavior.scaleUp.tolerance: must be a number, got "0.1")");
  EXPECT_EQ(json_error("spec.scaleToZero.after", "300"),
            "api: spec.scaleToZero.after: must be a string");
  EXPECT_EQ(json_error("spec.metrics.0.cpu.targetUtilization", "70.0"),
            "api: spec.metrics[0].cpu.targetUtilization: must be an integer without a fraction or "
            "exponent, got 70");
  // A duration needs its unit in YAML too: a bare number is not taken as seconds.
  edit(document, "spec.scaleToZero.after", "300");
  const Result<ScalingPolicy> bare = decode_policy(document);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(without_source(bare.error()),
            "spec.scaleToZero.after: must be a whole number and a unit, ms, s or m (as in 5m), "
            "got \"300\"");
}

}  // namespace
}  // namespace portico::controller
