#pragma once
// metadata, shared by every kind's decoder.
#include "controller/decode/field_reader.h"
#include "controller/model/object_meta.h"

namespace portico::controller {

enum class Scope { kNamespaced, kCluster };

// Reads `metadata` of `object` (the document root). Errors go to `reader`.
ObjectMeta decode_object_meta(FieldReader& reader, const Field& object, Scope scope);

}  // namespace portico::controller
