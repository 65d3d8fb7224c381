// The same objects written as a YAML manifest and as API-server JSON decode to equal values,
// and the same mistakes give the same "path: message", through the one set of decoders.
#include <gtest/gtest.h>

#include <cpprest/json.h>
#include <yaml-cpp/yaml.h>

#include "controller/decode/api_decoders.h"
#include "controller/decode/decoders.h"

namespace portico::controller {
namespace {

web::json::value parse_json(const char* text) {
  std::error_code error;
  web::json::value value = web::json::value::parse(text, error);
  EXPECT_FALSE(error) << "test JSON does not parse: " << text;
  return value;
}

// One object: the manifest (with apiVersion and kind, as decode_document wants) and the
// same object as a list item from the API server (without them).
struct Twin {
  const char* kind;
  const char* yaml;
  const char* json;
};

Object decode_yaml(const char* yaml) {
  const Result<std::vector<Object>> objects = decode_document(YAML::Load(yaml), "t.yaml");
  if (!objects.ok()) {
    ADD_FAILURE() << objects.error();
    return Object();
  }
  EXPECT_EQ(objects.value().size(), 1u);
  return objects.value().empty() ? Object() : objects.value().front();
}

Object decode_json(std::string_view kind, const char* json) {
  const Result<Object> object = decode_api_object(kind, parse_json(json), "api");
  if (!object.ok()) {
    ADD_FAILURE() << object.error();
    return Object();
  }
  return object.value();
}

// Decodes both texts, expects equal objects and returns the one decoded from JSON.
template <typename T>
T decode_both(const Twin& twin) {
  const Object from_yaml = decode_yaml(twin.yaml);
  const Object from_json = decode_json(twin.kind, twin.json);
  EXPECT_TRUE(from_yaml == from_json) << twin.kind << " decodes differently from YAML and JSON";
  EXPECT_EQ(kind_of(from_json), twin.kind);
  return std::holds_alternative<T>(from_json) ? std::get<T>(from_json) : T();
}

constexpr Twin kIngress{"Ingress",
                        R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: store
  uid: u-1
  resourceVersion: "77"
  creationTimestamp: "2024-03-01T10:00:00Z"
  labels: {team: a}
  annotations:
    portico.io/use-regex: "true"
spec:
  ingressClassName: portico
  defaultBackend:
    service: {name: fallback, port: {number: 8080}}
  tls:
    - hosts: [shop.example.com, "*.shop.example.com"]
      secretName: shop-tls
    - hosts: [plain.example.com]
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
status:
  loadBalancer:
    ingress:
      - ip: 192.0.2.10
      - hostname: lb.example.com
)",
                        R"({"metadata": {"name": "shop", "namespace": "store", "uid": "u-1",
    "resourceVersion": "77", "creationTimestamp": "2024-03-01T10:00:00Z",
    "labels": {"team": "a"}, "annotations": {"portico.io/use-regex": "true"},
    "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]},
  "spec": {"ingressClassName": "portico",
    "defaultBackend": {"service": {"name": "fallback", "port": {"number": 8080}}},
    "tls": [{"hosts": ["shop.example.com", "*.shop.example.com"], "secretName": "shop-tls"},
            {"hosts": ["plain.example.com"]}],
    "rules": [{"host": "shop.example.com", "http": {"paths": [
      {"path": "/cart", "pathType": "Exact",
       "backend": {"service": {"name": "cart", "port": {"number": 80}}}},
      {"pathType": "ImplementationSpecific",
       "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}]},
  "status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"},
                                          {"hostname": "lb.example.com"}]}}})"};

TEST(YamlJsonParity, IngressWithTlsAndStatus) {
  const Ingress ingress = decode_both<Ingress>(kIngress);
  EXPECT_EQ(ingress.meta.key(), "store/shop");
  EXPECT_EQ(ingress.meta.annotations.at("portico.io/use-regex"), "true");
  ASSERT_TRUE(ingress.meta.creation_timestamp.has_value());
  ASSERT_EQ(ingress.rules.size(), 1u);
  ASSERT_EQ(ingress.rules[0].paths.size(), 2u);
  EXPECT_EQ(ingress.rules[0].paths[1].backend.port.name, "http");
  ASSERT_EQ(ingress.tls.size(), 2u);
  EXPECT_EQ(ingress.tls[0].hosts,
            (std::vector<std::string>{"shop.example.com", "*.shop.example.com"}));
  EXPECT_EQ(ingress.tls[0].secret_name, "shop-tls");
  EXPECT_EQ(ingress.tls[1].hosts, (std::vector<std::string>{"plain.example.com"}));
  EXPECT_EQ(ingress.tls[1].secret_name, "");  // the default certificate
  ASSERT_EQ(ingress.status.size(), 2u);
  EXPECT_EQ(ingress.status[0].ip, "192.0.2.10");
  EXPECT_EQ(ingress.status[0].hostname, "");
  EXPECT_EQ(ingress.status[1].hostname, "lb.example.com");
}

TEST(YamlJsonParity, ServiceWithClusterIpExternalIpsAndStatus) {
  const Service service = decode_both<Service>(
      {"Service",
       "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: demo}\nspec:\n"
       "  type: LoadBalancer\n  clusterIP: 10.96.0.12\n  externalIPs: [198.51.100.7]\n"
       "  externalName: ~\n  ports:\n"
       "    - {name: http, port: 80, targetPort: 9001}\n"
       "    - {name: admin, port: 81, targetPort: admin-port, protocol: UDP}\n"
       "    - {name: alt, port: 82, targetPort: \"8082\"}\n"
       "status:\n  loadBalancer:\n    ingress:\n      - {ip: 203.0.113.5}\n",
       R"({"metadata": {"name": "web", "namespace": "demo"},
           "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.12",
                    "clusterIPs": ["10.96.0.12"], "externalIPs": ["198.51.100.7"],
                    "externalName": null, "selector": {"app": "web"},
                    "ports": [{"name": "http", "port": 80, "targetPort": 9001},
                              {"name": "admin", "port": 81, "targetPort": "admin-port",
                               "protocol": "UDP"},
                              {"name": "alt", "port": 82, "targetPort": "8082"}]},
           "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.5",
                                                    "ipMode": "VIP"}]}}})"});
  EXPECT_EQ(service.type, "LoadBalancer");
  EXPECT_EQ(service.cluster_ip, "10.96.0.12");
  EXPECT_EQ(service.external_ips, (std::vector<std::string>{"198.51.100.7"}));
  EXPECT_EQ(service.external_name, "");
  ASSERT_EQ(service.ports.size(), 3u);
  EXPECT_EQ(service.ports[0].target_port, (PortRef{9001, ""}));
  EXPECT_EQ(service.ports[1].target_port, (PortRef{0, "admin-port"}));
  EXPECT_EQ(service.ports[2].target_port, (PortRef{8082, ""}));
  ASSERT_EQ(service.load_balancer.size(), 1u);
  EXPECT_EQ(service.load_balancer[0].ip, "203.0.113.5");
}

TEST(YamlJsonParity, IngressClassEndpointSliceAndSecret) {
  const IngressClass ingress_class = decode_both<IngressClass>(
      {"IngressClass",
       "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: portico\n"
       "  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\n"
       "spec: {controller: portico.io/ingress-controller}\n",
       R"({"metadata": {"name": "portico", "annotations":
             {"ingressclass.kubernetes.io/is-default-class": "true"}},
           "spec": {"controller": "portico.io/ingress-controller"}})"});
  EXPECT_TRUE(ingress_class.is_default());
  EXPECT_EQ(ingress_class.meta.key(), "portico");

  const EndpointSlice slice = decode_both<EndpointSlice>(
      {"EndpointSlice",
       "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-1\n"
       "  labels: {kubernetes.io/service-name: web}\naddressType: IPv4\nendpoints:\n"
       "  - addresses: [10.0.0.1]\n    conditions: {ready: false, serving: true, "
       "terminating: true}\n    targetRef: {kind: Pod, namespace: default, name: p1}\n"
       "  - addresses: [10.0.0.2]\nports:\n  - {name: http, port: 8080}\n  - {name: other}\n",
       R"({"metadata": {"name": "web-1", "labels": {"kubernetes.io/service-name": "web"}},
           "addressType": "IPv4",
           "endpoints": [{"addresses": ["10.0.0.1"], "nodeName": "n1", "zone": "a",
                          "conditions": {"ready": false, "serving": true, "terminating": true},
                          "targetRef": {"kind": "Pod", "namespace": "default", "name": "p1",
                                        "uid": "x"}},
                         {"addresses": ["10.0.0.2"], "conditions": {}}],
           "ports": [{"name": "http", "port": 8080}, {"name": "other", "port": null}]})"});
  EXPECT_EQ(slice.service_name(), "web");
  ASSERT_EQ(slice.endpoints.size(), 2u);
  EXPECT_EQ(slice.endpoints[0].conditions.serving, true);
  EXPECT_FALSE(slice.endpoints[1].conditions.ready.has_value());
  ASSERT_EQ(slice.ports.size(), 2u);
  EXPECT_FALSE(slice.ports[1].port.has_value());

  const Secret secret = decode_both<Secret>(
      {"Secret",
       "apiVersion: v1\nkind: Secret\nmetadata: {name: shop-tls}\ntype: kubernetes.io/tls\n"
       "data:\n  tls.crt: Y2VydA==\n  tls.key: a2V5\n",
       R"({"metadata": {"name": "shop-tls"}, "type": "kubernetes.io/tls",
           "data": {"tls.crt": "Y2VydA==", "tls.key": "a2V5"}})"});
  EXPECT_EQ(secret.certificate_pem, "cert");
  EXPECT_EQ(secret.private_key_pem, "key");
}

TEST(YamlJsonParity, Pod) {
  const Pod pod = decode_both<Pod>(
      {"Pod",
       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  namespace: shop\n"
       "  resourceVersion: \"9\"\n  annotations: {portico.io/weight: \"3\"}\nspec:\n"
       "  containers:\n    - name: app\n      resources: {requests: {cpu: 250m}}\n"
       "    - name: log\nstatus:\n  phase: Running\n  podIP: 10.1.0.7\n"
       "  podIPs: [{ip: 10.1.0.7}, {ip: \"fd00::7\"}]\n  startTime: \"2024-03-01T10:00:00Z\"\n"
       "  conditions:\n    - {type: Ready, status: \"True\", "
       "lastTransitionTime: \"2024-03-01T10:00:05Z\"}\n",
       R"({"metadata": {"name": "web-1", "namespace": "shop", "resourceVersion": "9",
                        "annotations": {"portico.io/weight": "3"}},
           "spec": {"containers": [{"name": "app", "image": "web:1",
                                    "resources": {"requests": {"cpu": "250m"}}},
                                   {"name": "log", "resources": {}}]},
           "status": {"phase": "Running", "podIP": "10.1.0.7",
                      "podIPs": [{"ip": "10.1.0.7"}, {"ip": "fd00::7"}],
                      "startTime": "2024-03-01T10:00:00Z",
                      "conditions": [{"type": "Ready", "status": "True",
                                      "lastProbeTime": null,
                                      "lastTransitionTime": "2024-03-01T10:00:05Z"}],
                      "containerStatuses": [{"name": "app", "restartCount": 2}]}})"});
  EXPECT_EQ(pod.meta.key(), "shop/web-1");
  EXPECT_EQ(pod.pod_ips, (std::vector<std::string>{"10.1.0.7", "fd00::7"}));
  EXPECT_TRUE(pod.ready);
  EXPECT_TRUE(pod.ready_transition.has_value());
  EXPECT_EQ(pod.containers, (std::vector<PodContainer>{{"app", "250m"}, {"log", ""}}));
}

// A mistake, in both forms: YAML reports "t.yaml:LINE: WHAT", JSON "api: WHAT".
struct BadTwin {
  Twin twin;
  int yaml_line;
  const char* what;  // "path: message"
};

class YamlJsonParityErrors : public ::testing::TestWithParam<BadTwin> {};

TEST_P(YamlJsonParityErrors, SamePathAndMessage) {
  const BadTwin& bad = GetParam();
  const Result<std::vector<Object>> from_yaml =
      decode_document(YAML::Load(bad.twin.yaml), "t.yaml");
  ASSERT_FALSE(from_yaml.ok()) << bad.twin.yaml;
  EXPECT_EQ(from_yaml.error(), "t.yaml:" + std::to_string(bad.yaml_line) + ": " + bad.what);

  const Result<Object> from_json =
      decode_api_object(bad.twin.kind, parse_json(bad.twin.json), "api");
  ASSERT_FALSE(from_json.ok()) << bad.twin.json;
  EXPECT_EQ(from_json.error(), std::string("api: ") + bad.what);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, YamlJsonParityErrors,
    ::testing::Values(
        BadTwin{{"Ingress",
                 "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n"
                 "  rules:\n    - http:\n        paths:\n          - pathType: Regex\n"
                 "            backend: {service: {name: a, port: {number: 1}}}\n",
                 R"({"metadata": {"name": "x"}, "spec": {"rules": [{"http": {"paths": [
                     {"pathType": "Regex",
                      "backend": {"service": {"name": "a", "port": {"number": 1}}}}]}}]}})"},
                8,
                "spec.rules[0].http.paths[0].pathType: must be Exact, Prefix or "
                "ImplementationSpecific, got \"Regex\""},
        BadTwin{{"Ingress",
                 "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n"
                 "  defaultBackend:\n    service:\n      name: a\n      port: {number: 70000}\n",
                 R"({"metadata": {"name": "x"}, "spec": {"defaultBackend": {"service":
                     {"name": "a", "port": {"number": 70000}}}}})"},
                8,
                "spec.defaultBackend.service.port.number: must be between 1 and 65535, got 70000"},
        BadTwin{{"Ingress",
                 "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"
                 "spec:\n  rules: {host: a}\n",
                 R"({"metadata": {"name": "x"}, "spec": {"rules": {"host": "a"}}})"},
                5,
                "spec.rules: must be a list"},
        BadTwin{
            {"Ingress",
             "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"
             "spec:\n  tls:\n    - hosts: [a.example.com, \"\"]\n",
             R"({"metadata": {"name": "x"}, "spec": {"tls": [{"hosts": ["a.example.com", ""]}]}})"},
            6,
            "spec.tls[0].hosts[1]: is required"},
        BadTwin{{"Ingress",
                 "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"
                 "status:\n  loadBalancer:\n    ingress: {ip: 192.0.2.1}\n",
                 R"({"metadata": {"name": "x"}, "status": {"loadBalancer": {"ingress":
                     {"ip": "192.0.2.1"}}}})"},
                6,
                "status.loadBalancer.ingress: must be a list"},
        BadTwin{{"Ingress",
                 "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n"
                 "  annotations:\n    portico.io/rewrite: [a]\n",
                 R"({"metadata": {"name": "x", "annotations": {"portico.io/rewrite": ["a"]}}})"},
                6,
                "metadata.annotations[portico.io/rewrite]: must be a string"},
        BadTwin{{"Service", "apiVersion: v1\nkind: Service\nspec: {}\n", R"({"spec": {}})"},
                1,
                "metadata: is required"},
        BadTwin{{"Service",
                 "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n"
                 "    - name: a\n",
                 R"({"metadata": {"name": "web"}, "spec": {"ports": [{"name": "a"}]}})"},
                6,
                "spec.ports[0].port: is required"},
        BadTwin{{"Service",
                 "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                 "  externalIPs: 198.51.100.7\n",
                 R"({"metadata": {"name": "web"}, "spec": {"externalIPs": "198.51.100.7"}})"},
                5,
                "spec.externalIPs: must be a list"},
        BadTwin{{"EndpointSlice",
                 "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s}\n"
                 "addressType: IPv5\n",
                 R"({"metadata": {"name": "s"}, "addressType": "IPv5"})"},
                4,
                "addressType: must be IPv4, IPv6 or FQDN, got \"IPv5\""},
        BadTwin{{"EndpointSlice",
                 "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s}\n"
                 "addressType: IPv4\nendpoints:\n  - addresses: []\n",
                 R"({"metadata": {"name": "s"}, "addressType": "IPv4",
                     "endpoints": [{"addresses": []}]})"},
                6,
                "endpoints[0].addresses: needs at least one address"},
        BadTwin{{"Secret",
                 "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\n"
                 "data:\n  tls.crt: Y2VydA==\n",
                 R"({"metadata": {"name": "s"}, "type": "kubernetes.io/tls",
                     "data": {"tls.crt": "Y2VydA=="}})"},
                6,
                "data[tls.key]: is required"},
        BadTwin{{"Pod",
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  conditions:\n"
                 "    - type: Ready\n      status: \"Yes\"\n",
                 R"({"metadata": {"name": "p"}, "status": {"conditions":
                     [{"type": "Ready", "status": "Yes"}]}})"},
                7,
                "status.conditions[0].status: must be True, False or Unknown, got \"Yes\""},
        BadTwin{{"Pod",
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                 "    - name: app\n      resources: {requests: {cpu: [1]}}\n",
                 R"({"metadata": {"name": "p"}, "spec": {"containers":
                     [{"name": "app", "resources": {"requests": {"cpu": [1]}}}]}})"},
                7,
                "spec.containers[0].resources.requests.cpu: must be a string"}));

}  // namespace
}  // namespace portico::controller
