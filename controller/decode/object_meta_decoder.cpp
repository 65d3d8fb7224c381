#include "controller/decode/object_meta_decoder.h"

#include "controller/decode/rfc3339.h"

namespace portico::controller {

ObjectMeta decode_object_meta(FieldReader& reader, const Field& object, Scope scope) {
  ObjectMeta meta;
  const Field metadata = reader.member(object, "metadata");
  if (!metadata.present()) reader.fail(metadata, "is required");
  meta.name = reader.required_string(reader.member(metadata, "name"));
  const std::string namespace_ = reader.string(reader.member(metadata, "namespace"));
  if (scope == Scope::kCluster) {
    meta.namespace_.clear();
  } else if (!namespace_.empty()) {
    meta.namespace_ = namespace_;
  }
  meta.uid = reader.string(reader.member(metadata, "uid"));
  meta.resource_version = reader.string(reader.member(metadata, "resourceVersion"));
  const Field created = reader.member(metadata, "creationTimestamp");
  if (const std::optional<std::string> text = reader.optional_string(created)) {
    meta.creation_timestamp = parse_rfc3339(*text);
    if (!meta.creation_timestamp) reader.fail(created, "must be an RFC 3339 time");
  }
  meta.labels = reader.string_map(reader.member(metadata, "labels"));
  meta.annotations = reader.string_map(reader.member(metadata, "annotations"));
  return meta;
}

}  // namespace portico::controller
