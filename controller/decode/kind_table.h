#pragma once
// Which reader decodes which kind, shared by the manifest and API entry points. Internal to
// controller/decode. Pure; any thread.
#include <string_view>

#include "controller/decode/field_reader.h"
#include "controller/model/object.h"

namespace portico::controller {

struct KindDecoder {
  std::string_view kind;
  std::string_view api_version;  // the one version decoded
  Object (*read)(FieldReader& reader, const Field& root);
};

// The decoder of a kind the model holds; nullptr for any other kind.
const KindDecoder* find_kind_decoder(std::string_view kind);

}  // namespace portico::controller
