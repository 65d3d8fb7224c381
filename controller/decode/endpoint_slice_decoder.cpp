#include "controller/decode/decoders.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {
namespace {

SliceEndpoint decode_endpoint(FieldReader& reader, const Field& field) {
  SliceEndpoint endpoint;
  const Field addresses = reader.member(field, "addresses");
  for (const Field& address : reader.items(addresses)) {
    endpoint.addresses.push_back(reader.required_string(address));
  }
  if (endpoint.addresses.empty()) reader.fail(addresses, "needs at least one address");
  const Field conditions = reader.member(field, "conditions");
  endpoint.conditions.ready = reader.boolean(reader.member(conditions, "ready"));
  endpoint.conditions.serving = reader.boolean(reader.member(conditions, "serving"));
  endpoint.conditions.terminating = reader.boolean(reader.member(conditions, "terminating"));
  const Field target = reader.member(field, "targetRef");
  endpoint.target_ref.kind = reader.string(reader.member(target, "kind"));
  endpoint.target_ref.namespace_ = reader.string(reader.member(target, "namespace"));
  endpoint.target_ref.name = reader.string(reader.member(target, "name"));
  return endpoint;
}

SlicePort decode_port(FieldReader& reader, const Field& field) {
  SlicePort port;
  port.name = reader.string(reader.member(field, "name"));
  const Field number = reader.member(field, "port");
  if (number.present()) port.port = reader.port_number(number);
  if (auto protocol = reader.optional_string(reader.member(field, "protocol"))) {
    port.protocol = *protocol;
  }
  return port;
}

}  // namespace

EndpointSlice read_endpoint_slice(FieldReader& reader, const Field& root) {
  EndpointSlice slice;
  slice.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  const Field address_type = reader.member(root, "addressType");
  slice.address_type = reader.required_string(address_type);
  if (reader.ok() && slice.address_type != "IPv4" && slice.address_type != "IPv6" &&
      slice.address_type != "FQDN") {
    reader.fail(address_type, "must be IPv4, IPv6 or FQDN, got \"" + slice.address_type + "\"");
  }
  for (const Field& endpoint : reader.items(reader.member(root, "endpoints"))) {
    slice.endpoints.push_back(decode_endpoint(reader, endpoint));
  }
  for (const Field& port : reader.items(reader.member(root, "ports"))) {
    slice.ports.push_back(decode_port(reader, port));
  }
  return slice;
}

Result<EndpointSlice> decode_endpoint_slice(const YAML::Node& node, std::string_view source) {
  return decode_yaml<EndpointSlice, read_endpoint_slice>(node, source);
}

}  // namespace portico::controller
