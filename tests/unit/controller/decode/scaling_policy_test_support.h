#pragma once
// Decoding ScalingPolicy documents in tests, from YAML and from the JSON the API server holds
// for the same manifest, and editing one field of a document, for the decoder's tests and the
// CRD's (tests/unit/manifests/crds). Test thread only.
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include <cpprest/json.h>
#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "controller/decode/field_reader.h"
#include "controller/decode/scaling_policy_decoder.h"

namespace portico::controller::scaling_test {

// Every field set, none to its default; metrics[0] is cpu, [1] queueDepth, [2] prometheus.
inline constexpr char kComplete[] = R"(apiVersion: autoscaling.portico.io/v1alpha1
kind: ScalingPolicy
metadata:
  name: web
  namespace: shop
  uid: u-1
  resourceVersion: "42"
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web-frontend
  minReplicas: 0
  maxReplicas: 20
  metrics:
    - cpu:
        targetUtilization: 65
    - queueDepth:
        service: web
        targetPerReplica: 12.5
    - prometheus:
        url: https://prometheus.monitoring.svc:9090/prom
        query: 'sum(kafka_consumergroup_lag{group="web"})'
        thresholds:
          scaleUpAbove: 1000
          scaleDownBelow: 100
          step: 3
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 30
      policies:
        - type: Pods
          value: 8
          periodSeconds: 10
      selectPolicy: Min
      tolerance: 0.05
    scaleDown:
      stabilizationWindowSeconds: 600
      policies:
        - type: Percent
          value: 50
          periodSeconds: 60
        - type: Pods
          value: 2
          periodSeconds: 30
      selectPolicy: Disabled
      tolerance: 0.2
  scaleToZero:
    after: 10m
    queueSize: 500
    queueTimeout: 1500ms
)";

// Errors read "sp.yaml:LINE: path: message".
inline Result<ScalingPolicy> decode_policy(const YAML::Node& document) {
  FieldReader reader("sp.yaml");
  ScalingPolicy policy = read_scaling_policy(reader, reader.root(document));
  return reader.finish(std::move(policy));
}

// Errors read "api: path: message".
inline Result<ScalingPolicy> decode_policy(const web::json::value& document) {
  FieldReader reader("api");
  ScalingPolicy policy = read_scaling_policy(reader, reader.root(document));
  return reader.finish(std::move(policy));
}

// The JSON kubectl sends for a YAML manifest: plain scalars that read as JSON numbers,
// booleans or null become those; quoted scalars and everything else stay strings.
inline web::json::value to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      web::json::value object = web::json::value::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = to_json(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      web::json::value array = web::json::value::array(node.size());
      for (std::size_t i = 0; i < node.size(); ++i) array[i] = to_json(node[i]);
      return array;
    }
    case YAML::NodeType::Scalar: {
      if (node.Tag() == "?") {
        std::error_code error;
        web::json::value typed = web::json::value::parse(node.Scalar(), error);
        if (!error && !typed.is_string() && !typed.is_object() && !typed.is_array()) return typed;
      }
      return web::json::value::string(node.Scalar());
    }
    default:
      return web::json::value::null();
  }
}

// Sets the node at `path` ("spec.metrics.0.cpu": keys and list indices joined by dots) to
// `value`, or removes that key when `value` is nullptr.
inline void edit(YAML::Node node, std::string_view path, const YAML::Node* value) {
  const std::size_t dot = path.find('.');
  const std::string key(path.substr(0, dot));
  const bool index = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
  if (dot != std::string_view::npos) {
    edit(index ? node[std::stoul(key)] : node[key], path.substr(dot + 1), value);
  } else if (value == nullptr) {
    node.remove(key);
  } else if (index) {
    node[std::stoul(key)] = *value;
  } else {
    node[key] = *value;
  }
}

// As above, with `value` as YAML text.
inline void edit(YAML::Node node, std::string_view path, const char* value) {
  const YAML::Node parsed = value == nullptr ? YAML::Node() : YAML::Load(value);
  edit(std::move(node), path, value == nullptr ? nullptr : &parsed);
}

}  // namespace portico::controller::scaling_test
