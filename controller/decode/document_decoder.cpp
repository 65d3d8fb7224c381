#include "common/log.h"
#include "controller/decode/decoders.h"
#include "controller/decode/field_reader.h"

namespace portico::controller {
namespace {

struct KindDecoder {
  std::string_view kind;
  std::string_view api_version;
  Result<Object> (*decode)(const YAML::Node&, std::string_view);
};

template <typename T, Result<T> (*Decode)(const YAML::Node&, std::string_view)>
Result<Object> decode_as_object(const YAML::Node& node, std::string_view source) {
  Result<T> typed = Decode(node, source);
  if (!typed) return Error{typed.error()};
  return Object(std::move(typed.value()));
}

constexpr KindDecoder kDecoders[] = {
    {"Ingress", "networking.k8s.io/v1", decode_as_object<Ingress, decode_ingress>},
    {"IngressClass", "networking.k8s.io/v1", decode_as_object<IngressClass, decode_ingress_class>},
    {"Service", "v1", decode_as_object<Service, decode_service>},
    {"EndpointSlice", "discovery.k8s.io/v1",
     decode_as_object<EndpointSlice, decode_endpoint_slice>},
};

// Decodes `node` (an object or a List) and appends what it holds to `out`.
Status decode_into(const YAML::Node& node, std::string_view source, std::vector<Object>& out) {
  FieldReader reader(source);
  const Field root = reader.root(node);
  if (!root.present()) return Ok{};
  const Field api_version_field = reader.member(root, "apiVersion");
  const std::string kind = reader.required_string(reader.member(root, "kind"));
  const std::string api_version = reader.required_string(api_version_field);
  if (!reader.ok()) return reader.finish(Ok{});

  if (kind == "List" && api_version == "v1") {
    for (const Field& item : reader.items(reader.member(root, "items"))) {
      if (Status status = decode_into(item.node, source, out); !status) return status;
    }
    return reader.finish(Ok{});
  }
  for (const KindDecoder& decoder : kDecoders) {
    if (decoder.kind != kind) continue;
    if (decoder.api_version != api_version) {
      reader.fail(api_version_field, "apiVersion " + api_version + " is not supported for " + kind +
                                         " (want " + std::string(decoder.api_version) + ")");
      return reader.finish(Ok{});
    }
    Result<Object> object = decoder.decode(node, source);
    if (!object) return Error{object.error()};
    out.push_back(std::move(object.value()));
    return Ok{};
  }
  log::debug(
      "ignoring an object of a kind the controller does not use",
      {{"source", std::string(source)}, {"line", std::to_string(root.line)}, {"kind", kind}});
  return Ok{};
}

}  // namespace

Result<std::vector<Object>> decode_document(const YAML::Node& document, std::string_view source) {
  std::vector<Object> objects;
  if (Status status = decode_into(document, source, objects); !status) {
    return Error{status.error()};
  }
  return objects;
}

}  // namespace portico::controller
