// The ScalingPolicy CRD, its examples and the decoder agree: every example decodes and means
// what its comment says; every field the decoder reads is declared with the type it reads;
// and every bound, enum, required field and pattern the CRD states is one the decoder
// enforces too, so the API server never stores a policy the controller then refuses for a
// rule the user could have been told at `kubectl apply`. (The CEL rules need an API server;
// the decoder's own tests cover the same rules.)
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "controller/model/scaling_policy.h"
#include "tests/unit/controller/decode/scaling_policy_test_support.h"

namespace portico::controller {
namespace {

using namespace std::chrono_literals;
using scaling_test::decode_policy;
using scaling_test::edit;
using scaling_test::kComplete;
using scaling_test::to_json;
using Type = ScalingRatePolicy::Type;

// tests/unit/manifests/crds/ -> repository root.
const std::filesystem::path kRoot = std::filesystem::path(__FILE__)
                                        .parent_path()
                                        .parent_path()
                                        .parent_path()
                                        .parent_path()
                                        .parent_path();

YAML::Node crd() {
  return YAML::LoadFile(kRoot / "manifests/crds/scalingpolicies.autoscaling.portico.io.yaml");
}

YAML::Node schema() {
  return crd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
}

std::map<std::string, ScalingPolicy> decoded_examples() {
  std::map<std::string, ScalingPolicy> out;
  for (const YAML::Node& document :
       YAML::LoadAllFromFile(kRoot / "examples/scaling/scaling-policy.yaml")) {
    EXPECT_EQ(document["kind"].as<std::string>(), "ScalingPolicy");
    EXPECT_EQ(document["apiVersion"].as<std::string>(), kScalingPolicyApiVersion);
    const Result<ScalingPolicy> from_yaml = decode_policy(document);
    const Result<ScalingPolicy> from_json = decode_policy(to_json(document));
    if (!from_yaml.ok() || !from_json.ok()) {
      ADD_FAILURE() << (from_yaml.ok() ? from_json.error() : from_yaml.error());
      continue;
    }
    EXPECT_TRUE(from_yaml.value() == from_json.value());
    out.emplace(from_yaml.value().meta.name, from_yaml.value());
  }
  return out;
}

TEST(ScalingPolicyExamples, DecodeAndMeanWhatTheirCommentsSay) {
  const std::map<std::string, ScalingPolicy> examples = decoded_examples();
  ASSERT_EQ(examples.size(), 4u);

  const ScalingPolicy& api = examples.at("api");
  EXPECT_EQ(api.min_replicas, 0);
  EXPECT_EQ(api.metrics, (std::vector<ScalingMetric>{QueueDepthMetric{"api", 10, std::nullopt}}));
  EXPECT_EQ(api.scale_to_zero, (ScaleToZero{300s, 200, 30s}));

  const ScalingPolicy& checkout = examples.at("checkout");
  EXPECT_EQ(checkout.metrics, (std::vector<ScalingMetric>{CpuMetric{70, std::nullopt}}));
  EXPECT_EQ(checkout.behavior.scale_up,
            (ScalingRules{
                0, {{Type::kPercent, 100, 15}, {Type::kPods, 4, 15}}, SelectPolicy::kMax, 0.1}));
  EXPECT_EQ(checkout.behavior.scale_down,
            (ScalingRules{300, {{Type::kPods, 2, 60}}, SelectPolicy::kMax, 0.05}));

  const ScalingPolicy& reports = examples.at("reports");
  EXPECT_EQ(reports.metrics,
            (std::vector<ScalingMetric>{CpuMetric{std::nullopt, Thresholds{70, 30, 1}}}));
  EXPECT_EQ(reports.behavior.scale_down.stabilization_window_seconds, 300);

  const ScalingPolicy& worker = examples.at("worker");
  EXPECT_EQ(worker.min_replicas, 1);
  EXPECT_EQ(worker.metrics,
            (std::vector<ScalingMetric>{
                PrometheusMetric{"http://prometheus.monitoring:9090",
                                 R"(sum(kafka_consumergroup_lag{consumergroup="worker"}))", 500,
                                 std::nullopt},
                QueueDepthMetric{"worker-api", std::nullopt, Thresholds{20, 5, 2}}}));
}

TEST(ScalingPolicyCrd, DeclaresTheResource) {
  const YAML::Node definition = crd();
  EXPECT_EQ(definition["apiVersion"].as<std::string>(), "apiextensions.k8s.io/v1");
  EXPECT_EQ(definition["kind"].as<std::string>(), "CustomResourceDefinition");
  const YAML::Node spec = definition["spec"];
  const std::string group = spec["group"].as<std::string>();
  EXPECT_EQ(definition["metadata"]["name"].as<std::string>(),
            spec["names"]["plural"].as<std::string>() + "." + group);
  EXPECT_EQ(spec["names"]["kind"].as<std::string>(), "ScalingPolicy");
  EXPECT_EQ(spec["names"]["shortNames"].as<std::vector<std::string>>(),
            std::vector<std::string>{"sp"});
  EXPECT_EQ(spec["scope"].as<std::string>(), "Namespaced");
  ASSERT_EQ(spec["versions"].size(), 1u);
  const YAML::Node version = spec["versions"][0];
  EXPECT_EQ(group + "/" + version["name"].as<std::string>(), kScalingPolicyApiVersion);
  EXPECT_TRUE(version["served"].as<bool>());
  EXPECT_TRUE(version["storage"].as<bool>());
  EXPECT_TRUE(version["subresources"]["status"].IsMap());
}

// The schema node a printer column's jsonPath (".spec.targetRef.name") names; an object
// schema without properties (metadata) stands for everything under it.
YAML::Node schema_at(const YAML::Node& root, const std::string& json_path) {
  YAML::Node node = root;
  for (std::size_t start = 1; start < json_path.size() && node["properties"];) {
    const std::size_t end = std::min(json_path.find('.', start), json_path.size());
    const YAML::Node& at = node;  // const: a lookup must not insert the key
    const YAML::Node next = at["properties"][json_path.substr(start, end - start)];
    if (!next) return next;
    node.reset(next);
    start = end + 1;
  }
  return node;
}

TEST(ScalingPolicyCrd, PrinterColumnsShowDeclaredFields) {
  std::vector<std::string> names;
  const YAML::Node root = schema();
  for (const YAML::Node& column : crd()["spec"]["versions"][0]["additionalPrinterColumns"]) {
    const std::string name = column["name"].as<std::string>();
    names.push_back(name);
    const YAML::Node field = schema_at(root, column["jsonPath"].as<std::string>());
    ASSERT_TRUE(field) << name << " shows an undeclared field";
    if (column["type"].as<std::string>() != "date" && field["type"]) {
      EXPECT_EQ(field["type"].as<std::string>(), column["type"].as<std::string>()) << name;
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Target", "Min", "Max", "Desired", "Current", "Age"}));
}

// One node of a document and the schema that declares it; `path` is in edit()'s form.
struct Declared {
  std::string path;
  YAML::Node node;
  YAML::Node schema;
};

// Walks `node` with `schema`, failing the test for a field the schema does not declare or a
// value of another type than declared (as kubectl would send it).
void walk(const YAML::Node& node, const YAML::Node& schema, const std::string& path,
          std::vector<Declared>& out) {
  out.push_back({path, node, schema});
  const std::string type = schema["type"].as<std::string>("");
  const std::string where = path.empty() ? "the document" : path;
  if (node.IsMap()) {
    EXPECT_EQ(type, "object") << where;
    if (!schema["properties"]) return;  // metadata: the API server's own
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      const std::string child = path.empty() ? key : path + "." + key;
      if (!schema["properties"][key]) {
        ADD_FAILURE() << child << " is not declared in the CRD";
        continue;
      }
      walk(entry.second, schema["properties"][key], child, out);
    }
  } else if (node.IsSequence()) {
    EXPECT_EQ(type, "array") << where;
    for (std::size_t i = 0; i < node.size(); ++i) {
      walk(node[i], schema["items"], path + "." + std::to_string(i), out);
    }
  } else {
    const web::json::value json = to_json(node);
    const bool typed = type == "integer"  ? json.is_integer()
                       : type == "number" ? json.is_number()
                       : type == "string" ? json.is_string()
                                          : false;
    EXPECT_TRUE(typed) << where << " is not of the declared type " << type;
  }
}

std::vector<Declared> declared(const char* yaml) {
  std::vector<Declared> out;
  walk(YAML::Load(yaml), schema(), "", out);
  return out;
}

TEST(ScalingPolicyCrd, DeclaresEveryFieldWithItsType) {
  declared(kComplete);
  for (const YAML::Node& document :
       YAML::LoadAllFromFile(kRoot / "examples/scaling/scaling-policy.yaml")) {
    std::vector<Declared> out;
    walk(document, schema(), "", out);
  }
}

// Whether kComplete still decodes with the node at `path` set to `value` (nullptr: removed).
bool decodes_with(const std::string& path, const YAML::Node* value) {
  YAML::Node document = YAML::Load(kComplete);
  edit(document, path, value);
  return decode_policy(document).ok();
}

bool decodes_with(const std::string& path, const std::string& yaml) {
  const YAML::Node value = YAML::Load(yaml);
  return decodes_with(path, &value);
}

std::string number_text(double value) {
  char buffer[32];
  return std::string(
      buffer, std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed).ptr);
}

TEST(ScalingPolicyCrd, BoundsAreTheDecoders) {
  int checked = 0;
  for (const Declared& field : declared(kComplete)) {
    const YAML::Node& schema = field.schema;
    const bool integer = schema["type"].as<std::string>("") == "integer";
    const double step = integer ? 1 : 0.5;
    if (schema["minimum"]) {
      const double minimum = schema["minimum"].as<double>();
      EXPECT_FALSE(decodes_with(field.path, number_text(minimum - step))) << field.path;
      EXPECT_EQ(decodes_with(field.path, number_text(minimum)),
                !schema["exclusiveMinimum"].as<bool>(false))
          << field.path;
      ++checked;
    }
    if (schema["maximum"]) {
      const double maximum = schema["maximum"].as<double>();
      EXPECT_FALSE(decodes_with(field.path, number_text(maximum + step))) << field.path;
      EXPECT_TRUE(decodes_with(field.path, number_text(maximum))) << field.path;
      ++checked;
    }
    if (schema["maxItems"]) {
      YAML::Node longer = YAML::Clone(field.node);
      while (longer.size() <= schema["maxItems"].as<std::size_t>()) longer.push_back(field.node[0]);
      EXPECT_FALSE(decodes_with(field.path, &longer)) << field.path;
      ++checked;
    }
    if (schema["minItems"]) {
      EXPECT_FALSE(decodes_with(field.path, "[]")) << field.path;
      ++checked;
    }
    if (schema["maxLength"]) {
      const YAML::Node longer(std::string(schema["maxLength"].as<std::size_t>() + 1, 'a'));
      EXPECT_FALSE(decodes_with(field.path, &longer)) << field.path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);  // the walk reached the bounded fields
}

TEST(ScalingPolicyCrd, EnumsAreTheDecoders) {
  int checked = 0;
  for (const Declared& field : declared(kComplete)) {
    if (!field.schema["enum"]) continue;
    for (const YAML::Node& value : field.schema["enum"]) {
      EXPECT_TRUE(decodes_with(field.path, &value)) << field.path << " " << value.Scalar();
    }
    EXPECT_FALSE(decodes_with(field.path, "Bogus")) << field.path;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(ScalingPolicyCrd, RequiredFieldsAreTheDecoders) {
  int checked = 0;
  for (const Declared& field : declared(kComplete)) {
    for (const YAML::Node& key : field.schema["required"]) {
      const std::string path = field.path.empty() ? key.Scalar() : field.path + "." + key.Scalar();
      EXPECT_FALSE(decodes_with(path, nullptr)) << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

// A pattern may let through what the decoder refuses (a port above 65535), never the reverse.
TEST(ScalingPolicyCrd, PatternsAdmitEveryValueTheDecoderAccepts) {
  const std::vector<std::string> candidates = {"5m",
                                               "90s",
                                               "1500ms",
                                               "2000ms",
                                               "1440m",
                                               "0s",
                                               " 5m",
                                               "5h",
                                               "web",
                                               "web-2",
                                               "a",
                                               "web.v2-blue",
                                               "Web",
                                               "1web",
                                               "web_1",
                                               "http://prometheus:9090",
                                               "https://[fd00::1]:9090/a%20b/~x",
                                               "http://10.0.0.7/",
                                               "http://p/a b",
                                               "ftp://p",
                                               "http://p/x?y",
                                               "sum(up)",
                                               R"(sum(kafka_consumergroup_lag{group="web"}) > 0)",
                                               "sum(up)\n",
                                               "q\tx"};
  int checked = 0;
  for (const Declared& field : declared(kComplete)) {
    if (!field.schema["pattern"]) continue;
    const RE2 pattern(field.schema["pattern"].as<std::string>());
    ASSERT_TRUE(pattern.ok()) << field.path << ": " << pattern.error();
    EXPECT_TRUE(RE2::PartialMatch(field.node.Scalar(), pattern)) << field.path;
    for (const std::string& candidate : candidates) {
      const YAML::Node value(candidate);
      if (decodes_with(field.path, &value)) {
        EXPECT_TRUE(RE2::PartialMatch(candidate, pattern)) << field.path << " " << candidate;
      }
    }
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

}  // namespace
}  // namespace portico::controller
