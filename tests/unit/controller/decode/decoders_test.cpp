#include "controller/decode/decoders.h"

#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

namespace portico::controller {
namespace {

template <typename T>
T decoded(const Result<T>& result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
  return result.value();
}

constexpr char kIngress[] = R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: store
  uid: 1234
  resourceVersion: "77"
  creationTimestamp: "2024-03-01T10:00:00Z"
  labels: {team: a}
  annotations:
    portico.io/use-regex: "true"
spec:
  ingressClassName: portico
  defaultBackend:
    service: {name: fallback, port: {number: 8080}}
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /cart
            pathType: Exact
            backend:
              service: {name: cart, port: {number: 80}}
          - pathType: ImplementationSpecific
            backend:
              service: {name: web, port: {name: http}}
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {name: http}}
)";

TEST(IngressDecoder, ReadsEveryField) {
  const Ingress ingress = decoded(decode_ingress(YAML::Load(kIngress), "shop.yaml"));
  EXPECT_EQ(ingress.meta.namespace_, "store");
  EXPECT_EQ(ingress.meta.name, "shop");
  EXPECT_EQ(ingress.meta.uid, "1234");
  EXPECT_EQ(ingress.meta.resource_version, "77");
  ASSERT_TRUE(ingress.meta.creation_timestamp.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*ingress.meta.creation_timestamp), 1709287200);
  EXPECT_EQ(ingress.meta.labels.at("team"), "a");
  EXPECT_EQ(ingress.meta.annotations.at("portico.io/use-regex"), "true");
  EXPECT_EQ(ingress.ingress_class_name, "portico");
  ASSERT_TRUE(ingress.default_backend.has_value());
  EXPECT_EQ(ingress.default_backend->service_name, "fallback");
  EXPECT_EQ(ingress.default_backend->port.number, 8080);

  ASSERT_EQ(ingress.rules.size(), 2u);
  EXPECT_EQ(ingress.rules[0].host, "shop.example.com");
  ASSERT_EQ(ingress.rules[0].paths.size(), 2u);
  EXPECT_EQ(ingress.rules[0].paths[0].path, "/cart");
  EXPECT_EQ(ingress.rules[0].paths[0].path_type, IngressPathType::kExact);
  EXPECT_EQ(ingress.rules[0].paths[0].backend.service_name, "cart");
  EXPECT_EQ(ingress.rules[0].paths[0].backend.port.number, 80);
  EXPECT_EQ(ingress.rules[0].paths[1].path, "");  // translation reads it as "/"
  EXPECT_EQ(ingress.rules[0].paths[1].path_type, IngressPathType::kImplementationSpecific);
  EXPECT_EQ(ingress.rules[0].paths[1].backend.port.name, "http");
  EXPECT_EQ(ingress.rules[0].paths[1].backend.port.number, 0);
  EXPECT_EQ(ingress.rules[1].host, "");
  EXPECT_EQ(ingress.rules[1].paths[0].path_type, IngressPathType::kPrefix);
}

TEST(IngressDecoder, NamespaceDefaultsAndClassIsOptional) {
  const Ingress ingress =
      decoded(decode_ingress(YAML::Load("kind: Ingress\nmetadata: {name: x}\nspec: {}\n"), ""));
  EXPECT_EQ(ingress.meta.namespace_, "default");
  EXPECT_FALSE(ingress.ingress_class_name.has_value());
  EXPECT_FALSE(ingress.meta.creation_timestamp.has_value());
}

// Each case: a broken Ingress and the message it must produce, line and field included.
struct BadIngress {
  const char* yaml;
  const char* message;
};

class IngressDecoderErrors : public ::testing::TestWithParam<BadIngress> {};

TEST_P(IngressDecoderErrors, NameFieldAndLine) {
  const Result<Ingress> result = decode_ingress(YAML::Load(GetParam().yaml), "bad.yaml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IngressDecoderErrors,
    ::testing::Values(
        BadIngress{"metadata:\n  name: x\nspec:\n  rules:\n    - http:\n        paths:\n"
                   "          - path: /\n            pathType: Regex\n"
                   "            backend: {service: {name: a, port: {number: 1}}}\n",
                   "bad.yaml:8: spec.rules[0].http.paths[0].pathType: must be Exact, Prefix or "
                   "ImplementationSpecific, got \"Regex\""},
        BadIngress{"metadata:\n  name: x\nspec:\n  rules:\n    - http:\n        paths:\n"
                   "          - path: /\n            backend: {service: {name: a, port: "
                   "{number: 1}}}\n",
                   "bad.yaml:7: spec.rules[0].http.paths[0].pathType: is required"},
        BadIngress{"metadata:\n  name: x\nspec:\n  rules:\n    - http:\n        paths:\n"
                   "          - pathType: Prefix\n            backend:\n              service:\n"
                   "                name: a\n                port: {number: 70000}\n",
                   "bad.yaml:11: spec.rules[0].http.paths[0].backend.service.port.number: must "
                   "be between 1 and 65535, got 70000"},
        BadIngress{"metadata:\n  name: x\nspec:\n  rules:\n    - http:\n        paths:\n"
                   "          - pathType: Prefix\n            backend:\n              service:\n"
                   "                name: a\n                port: {number: 80, name: http}\n",
                   "bad.yaml:11: spec.rules[0].http.paths[0].backend.service.port: needs "
                   "exactly one of number and name"},
        BadIngress{"metadata:\n  name: x\nspec:\n  rules:\n    - http:\n        paths:\n"
                   "          - pathType: Prefix\n            backend:\n              service:\n"
                   "                port: {number: 80}\n",
                   "bad.yaml:10: spec.rules[0].http.paths[0].backend.service.name: is required"},
        BadIngress{"metadata:\n  name: x\nspec:\n  defaultBackend:\n    resource: {kind: B, "
                   "name: b}\n",
                   "bad.yaml:5: spec.defaultBackend.resource: resource backends are not "
                   "supported"},
        BadIngress{"metadata:\n  name: x\nspec:\n  rules: {host: a}\n",
                   "bad.yaml:4: spec.rules: must be a list"},
        BadIngress{"metadata:\n  name: x\nspec:\n  ingressClassName: [a]\n",
                   "bad.yaml:4: spec.ingressClassName: must be a string"},
        BadIngress{"metadata:\n  name: x\n  creationTimestamp: yesterday\n",
                   "bad.yaml:3: metadata.creationTimestamp: must be an RFC 3339 time"},
        BadIngress{"metadata:\n  namespace: x\n", "bad.yaml:2: metadata.name: is required"},
        BadIngress{"spec: {}\n", "bad.yaml:1: metadata: is required"}));

TEST(IngressDecoder, WithoutSourceTheMessageSaysLine) {
  const Result<Ingress> result = decode_ingress(YAML::Load("metadata:\n  name: [x]\n"), "");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "line 2: metadata.name: must be a string");
}

TEST(IngressClassDecoder, IsClusterScopedAndKnowsTheDefaultAnnotation) {
  const IngressClass ingress_class = decoded(decode_ingress_class(
      YAML::Load("metadata:\n  name: portico\n  namespace: ignored\n  annotations:\n"
                 "    ingressclass.kubernetes.io/is-default-class: \"true\"\n"
                 "spec:\n  controller: portico.io/ingress-controller\n"),
      ""));
  EXPECT_EQ(ingress_class.meta.namespace_, "");
  EXPECT_EQ(ingress_class.meta.key(), "portico");
  EXPECT_EQ(ingress_class.controller, "portico.io/ingress-controller");
  EXPECT_TRUE(ingress_class.is_default());

  const Result<IngressClass> missing =
      decode_ingress_class(YAML::Load("metadata: {name: a}\nspec: {}\n"), "c.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "c.yaml:2: spec.controller: is required");
}

TEST(ServiceDecoder, ReadsPortsAndTargetPortsByNumberOrName) {
  const Service service = decoded(decode_service(
      YAML::Load("metadata: {name: web, namespace: demo}\nspec:\n  type: NodePort\n  ports:\n"
                 "    - {name: http, port: 80, targetPort: 9001}\n"
                 "    - {name: admin, port: 81, targetPort: admin-port, protocol: UDP}\n"
                 "    - {port: 82}\n"),
      ""));
  EXPECT_EQ(service.type, "NodePort");
  ASSERT_EQ(service.ports.size(), 3u);
  EXPECT_EQ(service.ports[0].name, "http");
  EXPECT_EQ(service.ports[0].port, 80);
  EXPECT_EQ(service.ports[0].target_port, (PortRef{9001, ""}));
  EXPECT_EQ(service.ports[1].target_port, (PortRef{0, "admin-port"}));
  EXPECT_EQ(service.ports[1].protocol, "UDP");
  EXPECT_EQ(service.ports[2].protocol, "TCP");
  EXPECT_TRUE(service.ports[2].target_port.empty());
}

TEST(ServiceDecoder, RefusesBadPorts) {
  const Result<Service> out_of_range = decode_service(
      YAML::Load("metadata: {name: web}\nspec:\n  ports:\n    - name: http\n      port: 0\n"),
      "svc.yaml");
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.error(),
            "svc.yaml:5: spec.ports[0].port: must be between 1 and 65535, got 0");

  const Result<Service> target =
      decode_service(YAML::Load("metadata: {name: web}\nspec:\n  ports:\n    - port: 80\n"
                                "      targetPort: 99999\n"),
                     "svc.yaml");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.error(),
            "svc.yaml:5: spec.ports[0].targetPort: must be between 1 and 65535, got 99999");

  const Result<Service> missing =
      decode_service(YAML::Load("metadata: {name: web}\nspec:\n  ports:\n    - name: a\n"), "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "line 4: spec.ports[0].port: is required");

  const Result<Service> not_a_number = decode_service(
      YAML::Load("metadata: {name: web}\nspec:\n  ports:\n    - port: eighty\n"), "");
  ASSERT_FALSE(not_a_number.ok());
  EXPECT_EQ(not_a_number.error(), "line 4: spec.ports[0].port: must be an integer, got \"eighty\"");
}

TEST(EndpointSliceDecoder, ReadsEndpointsConditionsAndPorts) {
  const EndpointSlice slice = decoded(decode_endpoint_slice(
      YAML::Load("metadata:\n  name: web-1\n  namespace: demo\n  labels:\n"
                 "    kubernetes.io/service-name: web\naddressType: IPv4\nendpoints:\n"
                 "  - addresses: [10.0.0.1]\n    conditions: {ready: false, serving: true, "
                 "terminating: true}\n    targetRef: {kind: Pod, namespace: demo, name: p1}\n"
                 "  - addresses: [10.0.0.2, 10.0.0.3]\nports:\n  - {name: http, port: 8080}\n"
                 "  - {name: other}\n"),
      ""));
  EXPECT_EQ(slice.service_name(), "web");
  EXPECT_EQ(slice.address_type, "IPv4");
  ASSERT_EQ(slice.endpoints.size(), 2u);
  EXPECT_EQ(slice.endpoints[0].conditions.ready, false);
  EXPECT_EQ(slice.endpoints[0].conditions.serving, true);
  EXPECT_EQ(slice.endpoints[0].conditions.terminating, true);
  EXPECT_EQ(slice.endpoints[0].target_ref, (ObjectReference{"Pod", "demo", "p1"}));
  EXPECT_FALSE(slice.endpoints[1].conditions.ready.has_value());
  EXPECT_EQ(slice.endpoints[1].addresses, (std::vector<std::string>{"10.0.0.2", "10.0.0.3"}));
  ASSERT_EQ(slice.ports.size(), 2u);
  EXPECT_EQ(slice.ports[0].port, 8080);
  EXPECT_FALSE(slice.ports[1].port.has_value());
}

TEST(EndpointSliceDecoder, RefusesBadValues) {
  const char* const cases[][2] = {
      {"metadata: {name: s}\naddressType: IPv5\n",
       "s.yaml:2: addressType: must be IPv4, IPv6 or FQDN, got \"IPv5\""},
      {"metadata: {name: s}\naddressType: IPv4\nendpoints:\n  - addresses: []\n",
       "s.yaml:4: endpoints[0].addresses: needs at least one address"},
      {"metadata: {name: s}\naddressType: IPv4\nendpoints:\n  - addresses: [a]\n"
       "    conditions: {ready: maybe}\n",
       "s.yaml:5: endpoints[0].conditions.ready: must be true or false, got \"maybe\""},
      {"metadata: {name: s}\naddressType: IPv4\nports:\n  - port: 65536\n",
       "s.yaml:4: ports[0].port: must be between 1 and 65535, got 65536"},
  };
  for (const auto& [yaml, message] : cases) {
    const Result<EndpointSlice> result = decode_endpoint_slice(YAML::Load(yaml), "s.yaml");
    ASSERT_FALSE(result.ok()) << yaml;
    EXPECT_EQ(result.error(), message);
  }
}

TEST(DocumentDecoder, DispatchesOnKindAndApiVersion) {
  const Result<std::vector<Object>> objects =
      decode_document(YAML::Load("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"), "");
  ASSERT_TRUE(objects.ok());
  ASSERT_EQ(objects.value().size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Service>(objects.value()[0]));
  EXPECT_EQ(kind_of(objects.value()[0]), "Service");
}

TEST(DocumentDecoder, SkipsKindsItDoesNotUseAndEmptyDocuments) {
  const Result<std::vector<Object>> config_map = decode_document(
      YAML::Load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"), "");
  ASSERT_TRUE(config_map.ok());
  EXPECT_TRUE(config_map.value().empty());
  const Result<std::vector<Object>> empty = decode_document(YAML::Node(), "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value().empty());
}

TEST(DocumentDecoder, ExpandsLists) {
  const Result<std::vector<Object>> objects =
      decode_document(YAML::Load("apiVersion: v1\nkind: List\nitems:\n"
                                 "  - {apiVersion: v1, kind: Service, metadata: {name: a}}\n"
                                 "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: p}}\n"
                                 "  - apiVersion: networking.k8s.io/v1\n    kind: IngressClass\n"
                                 "    metadata: {name: c}\n    spec: {controller: x}\n"),
                      "");
  ASSERT_TRUE(objects.ok()) << objects.error();
  ASSERT_EQ(objects.value().size(), 2u);
  EXPECT_TRUE(std::holds_alternative<Service>(objects.value()[0]));
  EXPECT_TRUE(std::holds_alternative<IngressClass>(objects.value()[1]));
}

TEST(DocumentDecoder, ListErrorsNameTheItem) {
  const Result<std::vector<Object>> objects =
      decode_document(YAML::Load("apiVersion: v1\nkind: List\nitems:\n"
                                 "  - {apiVersion: v1, kind: Service, metadata: {name: a}}\n"
                                 "  - apiVersion: v1\n    kind: Service\n    metadata: {}\n"),
                      "list.yaml");
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.error(), "list.yaml:7: items[1].metadata.name: is required");
}

TEST(DocumentDecoder, RefusesWrongApiVersionAndMissingKind) {
  const Result<std::vector<Object>> old_ingress = decode_document(
      YAML::Load("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\n"),
      "old.yaml");
  ASSERT_FALSE(old_ingress.ok());
  EXPECT_EQ(old_ingress.error(),
            "old.yaml:1: apiVersion: apiVersion extensions/v1beta1 is not supported for "
            "Ingress (want networking.k8s.io/v1)");

  const Result<std::vector<Object>> no_kind =
      decode_document(YAML::Load("\napiVersion: v1\nmetadata: {name: a}\n"), "k.yaml");
  ASSERT_FALSE(no_kind.ok());
  EXPECT_EQ(no_kind.error(), "k.yaml:2: kind: is required");
}

TEST(DocumentDecoder, ReadsJson) {
  const Result<std::vector<Object>> objects = decode_document(
      YAML::Load(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                     "spec": {"ports": [{"port": 80, "targetPort": "http"}]}})"),
      "");
  ASSERT_TRUE(objects.ok()) << objects.error();
  const Service& service = std::get<Service>(objects.value().at(0));
  EXPECT_EQ(service.ports.at(0).target_port, (PortRef{0, "http"}));
}

}  // namespace
}  // namespace portico::controller
