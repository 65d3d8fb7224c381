#pragma once
// The per-kind readers behind the public decoders: each reads one object from a Field of
// either tree, reporting problems to the FieldReader. Internal to controller/decode. Pure;
// run on the caller's thread.
#include <string_view>

#include "common/result.h"
#include "controller/decode/field_reader.h"
#include "controller/model/object.h"

namespace portico::controller {

Ingress read_ingress(FieldReader& reader, const Field& root);
IngressClass read_ingress_class(FieldReader& reader, const Field& root);
Service read_service(FieldReader& reader, const Field& root);
EndpointSlice read_endpoint_slice(FieldReader& reader, const Field& root);
Secret read_secret(FieldReader& reader, const Field& root);
Pod read_pod(FieldReader& reader, const Field& root);
// A v1 Endpoints object as the one EndpointSlice the model holds (endpoints_decoder.cpp).
EndpointSlice read_endpoints_as_slice(FieldReader& reader, const Field& root);

// Reads one whole YAML document with `Read`: the per-kind entry points of decoders.h.
template <typename T, T (*Read)(FieldReader&, const Field&)>
Result<T> decode_yaml(const YAML::Node& document, std::string_view source) {
  FieldReader reader(source);
  T value = Read(reader, reader.root(document));
  return reader.finish(std::move(value));
}

}  // namespace portico::controller
