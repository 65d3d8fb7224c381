#include "controller/decode/decoders.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {

IngressClass read_ingress_class(FieldReader& reader, const Field& root) {
  IngressClass ingress_class;
  ingress_class.meta = decode_object_meta(reader, root, Scope::kCluster);
  const Field spec = reader.member(root, "spec");
  ingress_class.controller = reader.required_string(reader.member(spec, "controller"));
  return ingress_class;
}

Result<IngressClass> decode_ingress_class(const YAML::Node& node, std::string_view source) {
  return decode_yaml<IngressClass, read_ingress_class>(node, source);
}

}  // namespace portico::controller
