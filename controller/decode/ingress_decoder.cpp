#include "controller/decode/decoders.h"
#include "controller/decode/load_balancer_status_decoder.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {
namespace {

IngressPathType decode_path_type(FieldReader& reader, const Field& field) {
  const std::string value = reader.required_string(field);
  if (value == "Exact") return IngressPathType::kExact;
  if (value == "Prefix") return IngressPathType::kPrefix;
  if (value == "ImplementationSpecific") return IngressPathType::kImplementationSpecific;
  if (reader.ok()) {
    reader.fail(field, "must be Exact, Prefix or ImplementationSpecific, got \"" + value + "\"");
  }
  return IngressPathType::kPrefix;
}

IngressBackend decode_backend(FieldReader& reader, const Field& field) {
  IngressBackend backend;
  const Field service = reader.member(field, "service");
  if (!service.present()) {
    const Field resource = reader.member(field, "resource");
    if (resource.present()) {
      reader.fail(resource, "resource backends are not supported");
    } else {
      reader.fail(service, "is required");
    }
    return backend;
  }
  backend.service_name = reader.required_string(reader.member(service, "name"));
  const Field port = reader.member(service, "port");
  const Field number = reader.member(port, "number");
  const Field name = reader.member(port, "name");
  if (!port.present()) {
    reader.fail(port, "is required");
  } else if (number.present() == name.present()) {
    reader.fail(port, "needs exactly one of number and name");
  }
  backend.port = PortRef{reader.port_number(number), reader.string(name)};
  return backend;
}

IngressPath decode_path(FieldReader& reader, const Field& field) {
  IngressPath path;
  path.path = reader.string(reader.member(field, "path"));
  path.path_type = decode_path_type(reader, reader.member(field, "pathType"));
  const Field backend = reader.member(field, "backend");
  if (!backend.present()) reader.fail(backend, "is required");
  path.backend = decode_backend(reader, backend);
  return path;
}

IngressRule decode_rule(FieldReader& reader, const Field& field) {
  IngressRule rule;
  rule.host = reader.string(reader.member(field, "host"));
  const Field http = reader.member(field, "http");
  for (const Field& path : reader.items(reader.member(http, "paths"))) {
    rule.paths.push_back(decode_path(reader, path));
  }
  return rule;
}

IngressTls decode_tls(FieldReader& reader, const Field& field) {
  IngressTls tls;
  for (const Field& host : reader.items(reader.member(field, "hosts"))) {
    tls.hosts.push_back(reader.required_string(host));
  }
  // Optional: without a Secret the default certificate serves these hosts.
  tls.secret_name = reader.string(reader.member(field, "secretName"));
  return tls;
}

}  // namespace

Ingress read_ingress(FieldReader& reader, const Field& root) {
  Ingress ingress;
  ingress.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  const Field spec = reader.member(root, "spec");
  ingress.ingress_class_name = reader.optional_string(reader.member(spec, "ingressClassName"));
  const Field default_backend = reader.member(spec, "defaultBackend");
  if (default_backend.present()) ingress.default_backend = decode_backend(reader, default_backend);
  for (const Field& rule : reader.items(reader.member(spec, "rules"))) {
    ingress.rules.push_back(decode_rule(reader, rule));
  }
  for (const Field& tls : reader.items(reader.member(spec, "tls"))) {
    ingress.tls.push_back(decode_tls(reader, tls));
  }
  ingress.status = read_load_balancer_status(reader, reader.member(root, "status"));
  return ingress;
}

Result<Ingress> decode_ingress(const YAML::Node& node, std::string_view source) {
  return decode_yaml<Ingress, read_ingress>(node, source);
}

}  // namespace portico::controller
