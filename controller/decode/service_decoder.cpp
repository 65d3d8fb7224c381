#include "controller/decode/decoders.h"
#include "controller/decode/load_balancer_status_decoder.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {
namespace {

ServicePort decode_port(FieldReader& reader, const Field& field) {
  ServicePort port;
  port.name = reader.string(reader.member(field, "name"));
  const Field number = reader.member(field, "port");
  if (!number.present()) reader.fail(number, "is required");
  port.port = reader.port_number(number);
  port.target_port = reader.port_number_or_name(reader.member(field, "targetPort"));
  if (auto protocol = reader.optional_string(reader.member(field, "protocol"))) {
    port.protocol = *protocol;
  }
  return port;
}

}  // namespace

Service read_service(FieldReader& reader, const Field& root) {
  Service service;
  service.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  const Field spec = reader.member(root, "spec");
  if (auto type = reader.optional_string(reader.member(spec, "type"))) service.type = *type;
  for (const Field& port : reader.items(reader.member(spec, "ports"))) {
    service.ports.push_back(decode_port(reader, port));
  }
  service.external_name = reader.string(reader.member(spec, "externalName"));
  service.cluster_ip = reader.string(reader.member(spec, "clusterIP"));
  for (const Field& ip : reader.items(reader.member(spec, "externalIPs"))) {
    service.external_ips.push_back(reader.required_string(ip));
  }
  service.load_balancer = read_load_balancer_status(reader, reader.member(root, "status"));
  return service;
}

Result<Service> decode_service(const YAML::Node& node, std::string_view source) {
  return decode_yaml<Service, read_service>(node, source);
}

}  // namespace portico::controller
