// decode_api_object: JSON read by its types, and v1 Endpoints read as an EndpointSlice.
#include "controller/decode/api_decoders.h"

#include <gtest/gtest.h>

#include <cpprest/json.h>

namespace portico::controller {
namespace {

web::json::value parse_json(const std::string& text) {
  std::error_code error;
  web::json::value value = web::json::value::parse(text, error);
  EXPECT_FALSE(error) << "test JSON does not parse: " << text;
  return value;
}

std::string error_of(std::string_view kind, const std::string& json,
                     std::string_view source = "Service default/web") {
  const Result<Object> result = decode_api_object(kind, parse_json(json), source);
  if (result.ok()) return "decoded without error";
  return result.error();
}

// A Service whose first port is `port_json`, as JSON.
std::string service_with_port(const std::string& port_json) {
  return R"({"metadata": {"name": "web"}, "spec": {"ports": [)" + port_json + "]}}";
}

struct TypeCase {
  std::string json;
  std::string error;  // after "Service default/web: "
};

class ApiDecoderTypes : public ::testing::TestWithParam<TypeCase> {};

TEST_P(ApiDecoderTypes, JsonValuesMustHaveTheFieldsType) {
  EXPECT_EQ(error_of("Service", GetParam().json), "Service default/web: " + GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ApiDecoderTypes,
    ::testing::Values(
        // Integers: a JSON integer in range, nothing else (YAML would take "80").
        TypeCase{service_with_port(R"({"port": "80"})"),
                 "spec.ports[0].port: must be an integer, got \"80\""},
        TypeCase{service_with_port(R"({"port": 80.5})"),
                 "spec.ports[0].port: must be an integer without a fraction or exponent, got 80.5"},
        TypeCase{service_with_port(R"({"port": 8e1})"),
                 "spec.ports[0].port: must be an integer without a fraction or exponent, got 80"},
        TypeCase{service_with_port(R"({"port": true})"),
                 "spec.ports[0].port: must be an integer, got true"},
        TypeCase{service_with_port(R"({"port": -1})"),
                 "spec.ports[0].port: must be between 1 and 65535, got -1"},
        TypeCase{service_with_port(R"({"port": 4294967377})"),
                 "spec.ports[0].port: must be between 1 and 65535, got 4294967377"},
        TypeCase{service_with_port(R"({"port": 18446744073709551615})"),
                 "spec.ports[0].port: must be between 1 and 65535, got 18446744073709551615"},
        // IntOrString: a number or a string; a string of digits is still a number.
        TypeCase{service_with_port(R"({"port": 80, "targetPort": 70000})"),
                 "spec.ports[0].targetPort: must be between 1 and 65535, got 70000"},
        TypeCase{service_with_port(R"({"port": 80, "targetPort": "70000"})"),
                 "spec.ports[0].targetPort: must be between 1 and 65535, got 70000"},
        TypeCase{service_with_port(R"({"port": 80, "targetPort": false})"),
                 "spec.ports[0].targetPort: must be a port number or name, got false"},
        TypeCase{service_with_port(R"({"port": 80, "targetPort": ""})"),
                 "spec.ports[0].targetPort: must be a port number or name"},
        // Strings: a number is not a string.
        TypeCase{service_with_port(R"({"port": 80, "name": 7})"),
                 "spec.ports[0].name: must be a string"},
        TypeCase{R"({"metadata": {"name": 42}})", "metadata.name: must be a string"},
        TypeCase{R"({"metadata": {"name": "web", "labels": {"app": 1}}})",
                 "metadata.labels[app]: must be a string"},
        TypeCase{R"({"metadata": {"name": "web"}, "spec": {"clusterIP": ["10.0.0.1"]}})",
                 "spec.clusterIP: must be a string"},
        // Objects and lists.
        TypeCase{R"({"metadata": "web"})", "metadata: must be an object"},
        TypeCase{R"({"metadata": {"name": "web"}, "spec": {"ports": {"port": 80}}})",
                 "spec.ports: must be a list"},
        TypeCase{R"([1, 2])", "must be an object"}));

TEST(ApiDecoder, BooleansMustBeJsonBooleans) {
  const std::string slice =
      R"({"metadata": {"name": "s"}, "addressType": "IPv4", "endpoints": [
           {"addresses": ["10.0.0.1"], "conditions": {"ready": READY}}]})";
  auto with_ready = [&](const std::string& ready) {
    std::string json = slice;
    json.replace(json.find("READY"), 5, ready);
    return json;
  };
  EXPECT_EQ(error_of("EndpointSlice", with_ready("\"true\""), "EndpointSlice default/s"),
            "EndpointSlice default/s: endpoints[0].conditions.ready: must be true or false, got "
            "\"true\"");
  EXPECT_EQ(error_of("EndpointSlice", with_ready("1"), "EndpointSlice default/s"),
            "EndpointSlice default/s: endpoints[0].conditions.ready: must be true or false, got 1");

  const Result<Object> ready =
      decode_api_object("EndpointSlice", parse_json(with_ready("false")), "");
  ASSERT_TRUE(ready.ok()) << ready.error();
  EXPECT_EQ(std::get<EndpointSlice>(ready.value()).endpoints.at(0).conditions.ready, false);
}

TEST(ApiDecoder, NullIsAbsent) {
  const Result<Object> result = decode_api_object(
      "Service", parse_json(R"({"metadata": {"name": "web", "namespace": null, "labels": null,
                                  "annotations": {"a": null}},
                     "spec": {"type": null, "ports": [{"port": 80, "targetPort": null,
                                                       "name": null}],
                              "externalIPs": null},
                     "status": {"loadBalancer": {"ingress": null}}})"),
      "");
  ASSERT_TRUE(result.ok()) << result.error();
  const Service& service = std::get<Service>(result.value());
  EXPECT_EQ(service.meta.namespace_, "default");
  EXPECT_TRUE(service.meta.labels.empty());
  EXPECT_TRUE(service.meta.annotations.empty());
  EXPECT_EQ(service.type, "ClusterIP");
  ASSERT_EQ(service.ports.size(), 1u);
  EXPECT_TRUE(service.ports[0].target_port.empty());
  EXPECT_TRUE(service.external_ips.empty());
  EXPECT_TRUE(service.load_balancer.empty());

  // A required field that is null is missing.
  EXPECT_EQ(error_of("Service", R"({"metadata": {"name": null}})"),
            "Service default/web: metadata.name: is required");
  EXPECT_EQ(error_of("Service", "null"), "Service default/web: the object is empty");
}

TEST(ApiDecoder, IgnoresApiVersionAndKindFieldsOfTheObject) {
  // List items usually omit them; when present they are not what selects the decoder.
  const Result<Object> result = decode_api_object(
      "IngressClass", parse_json(R"({"apiVersion": "networking.k8s.io/v1beta1", "kind": "Whatever",
                     "metadata": {"name": "c"}, "spec": {"controller": "x"}})"),
      "");
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_TRUE(std::holds_alternative<IngressClass>(result.value()));
  EXPECT_EQ(std::get<IngressClass>(result.value()).meta.name, "c");
}

TEST(ApiDecoder, RefusesKindsItDoesNotDecode) {
  EXPECT_EQ(error_of("ConfigMap", R"({"metadata": {"name": "c"}})", "ConfigMap default/c"),
            "ConfigMap default/c: kind ConfigMap is not decoded");
}

TEST(ApiDecoder, WithoutSourceTheMessageIsPathAndMessage) {
  EXPECT_EQ(error_of("Ingress", R"({"metadata": {"name": "x"}, "spec": {"rules": 1}})", ""),
            "spec.rules: must be a list");
}

EndpointSlice endpoints_slice(const std::string& json) {
  const Result<Object> result = decode_api_object("Endpoints", parse_json(json), "Endpoints");
  EXPECT_TRUE(result.ok()) << result.error();
  if (!result.ok() || !std::holds_alternative<EndpointSlice>(result.value())) return {};
  return std::get<EndpointSlice>(result.value());
}

TEST(EndpointsConversion, OneSliceNamedAfterTheEndpoints) {
  const EndpointSlice slice = endpoints_slice(R"({
    "metadata": {"name": "web", "namespace": "demo", "uid": "u1", "resourceVersion": "9",
                 "labels": {"app": "web"}},
    "subsets": [{
      "addresses": [{"ip": "10.0.0.1", "nodeName": "n1",
                     "targetRef": {"kind": "Pod", "namespace": "demo", "name": "web-1"}},
                    {"ip": "10.0.0.2"}],
      "notReadyAddresses": [{"ip": "10.0.0.3"}],
      "ports": [{"name": "http", "port": 8080, "protocol": "TCP"},
                {"name": "dns", "port": 53, "protocol": "UDP"}]}]})");
  EXPECT_EQ(slice.meta.key(), "demo/web");
  EXPECT_EQ(slice.meta.uid, "u1");
  EXPECT_EQ(slice.meta.resource_version, "9");
  EXPECT_EQ(slice.service_name(), "web");
  EXPECT_EQ(slice.meta.labels.at("app"), "web");
  EXPECT_EQ(slice.address_type, "IPv4");
  ASSERT_EQ(slice.endpoints.size(), 3u);
  EXPECT_EQ(slice.endpoints[0].addresses, (std::vector<std::string>{"10.0.0.1"}));
  EXPECT_EQ(slice.endpoints[0].conditions.ready, true);
  EXPECT_FALSE(slice.endpoints[0].conditions.serving.has_value());
  EXPECT_EQ(slice.endpoints[0].target_ref, (ObjectReference{"Pod", "demo", "web-1"}));
  EXPECT_EQ(slice.endpoints[1].conditions.ready, true);
  EXPECT_EQ(slice.endpoints[2].addresses, (std::vector<std::string>{"10.0.0.3"}));
  EXPECT_EQ(slice.endpoints[2].conditions.ready, false);
  ASSERT_EQ(slice.ports.size(), 2u);
  EXPECT_EQ(slice.ports[0], (SlicePort{"dns", 53, "UDP"}));
  EXPECT_EQ(slice.ports[1], (SlicePort{"http", 8080, "TCP"}));
}

TEST(EndpointsConversion, SubsetsMergeOnTheirCommonPorts) {
  // Pods b lack the metrics port; pods c serve http on another number (mid-rollout).
  const EndpointSlice slice = endpoints_slice(R"({"metadata": {"name": "web"}, "subsets": [
    {"addresses": [{"ip": "10.0.0.1"}],
     "ports": [{"name": "metrics", "port": 9100}, {"name": "http", "port": 8080},
               {"name": "grpc", "port": 9000}]},
    {"addresses": [{"ip": "10.0.0.2"}],
     "ports": [{"name": "grpc", "port": 9000}, {"name": "http", "port": 8080}]},
    {"notReadyAddresses": [{"ip": "10.0.0.3"}],
     "ports": [{"name": "grpc", "port": 9000}, {"name": "http", "port": 8081}]}]})");
  ASSERT_EQ(slice.endpoints.size(), 3u);
  EXPECT_EQ(slice.endpoints[2].conditions.ready, false);
  // Only grpc means the same port on every endpoint; http and metrics would be wrong for some.
  ASSERT_EQ(slice.ports.size(), 1u);
  EXPECT_EQ(slice.ports[0], (SlicePort{"grpc", 9000, "TCP"}));

  const EndpointSlice same = endpoints_slice(R"({"metadata": {"name": "web"}, "subsets": [
    {"addresses": [{"ip": "10.0.0.1"}], "ports": [{"name": "a", "port": 1}, {"name": "b", "port": 2}]},
    {"addresses": [{"ip": "10.0.0.2"}], "ports": [{"name": "b", "port": 2}, {"name": "a", "port": 1}]}]})");
  EXPECT_EQ(same.ports.size(), 2u);
  EXPECT_EQ(same.endpoints.size(), 2u);
}

TEST(EndpointsConversion, OneAddressFamily) {
  const EndpointSlice mixed = endpoints_slice(R"({"metadata": {"name": "web"}, "subsets": [
    {"addresses": [{"ip": "fd00::1"}, {"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]})");
  EXPECT_EQ(mixed.address_type, "IPv4");
  ASSERT_EQ(mixed.endpoints.size(), 1u);
  EXPECT_EQ(mixed.endpoints[0].addresses[0], "10.0.0.1");

  const EndpointSlice ipv6 = endpoints_slice(R"({"metadata": {"name": "web"}, "subsets": [
    {"addresses": [{"ip": "fd00::1"}], "notReadyAddresses": [{"ip": "fd00::2"}]}]})");
  EXPECT_EQ(ipv6.address_type, "IPv6");
  EXPECT_EQ(ipv6.endpoints.size(), 2u);
  EXPECT_TRUE(ipv6.ports.empty());

  const EndpointSlice empty = endpoints_slice(R"({"metadata": {"name": "web"}})");
  EXPECT_EQ(empty.address_type, "IPv4");
  EXPECT_TRUE(empty.endpoints.empty());
  EXPECT_EQ(empty.service_name(), "web");
}

TEST(EndpointsConversion, RefusesBadAddressesAndPorts) {
  EXPECT_EQ(
      error_of("Endpoints",
               R"({"metadata": {"name": "web"}, "subsets": [{"addresses": [{"hostname": "a"}]}]})",
               "Endpoints default/web"),
      "Endpoints default/web: subsets[0].addresses[0].ip: is required");
  EXPECT_EQ(error_of("Endpoints",
                     R"({"metadata": {"name": "web"}, "subsets": [{"ports": [{"name": "a"}]}]})",
                     "Endpoints default/web"),
            "Endpoints default/web: subsets[0].ports[0].port: is required");
  EXPECT_EQ(error_of("Endpoints",
                     R"({"metadata": {"name": "web"}, "subsets": [{}, {"ports": [{"port": 0}]}]})",
                     "Endpoints default/web"),
            "Endpoints default/web: subsets[1].ports[0].port: must be between 1 and 65535, got 0");
}

}  // namespace
}  // namespace portico::controller
