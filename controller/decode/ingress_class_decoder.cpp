#include "controller/decode/decoders.h"
#include "controller/decode/field_reader.h"
#include "controller/decode/object_meta_decoder.h"

namespace portico::controller {

Result<IngressClass> decode_ingress_class(const YAML::Node& node, std::string_view source) {
  FieldReader reader(source);
  const Field root = reader.root(node);
  IngressClass ingress_class;
  ingress_class.meta = decode_object_meta(reader, root, Scope::kCluster);
  const Field spec = reader.member(root, "spec");
  ingress_class.controller = reader.required_string(reader.member(spec, "controller"));
  return reader.finish(std::move(ingress_class));
}

}  // namespace portico::controller
