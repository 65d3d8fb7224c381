#include "controller/decode/api_decoders.h"
#include "controller/decode/kind_table.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {

Result<Object> decode_api_object(std::string_view kind, const web::json::value& object,
                                 std::string_view source) {
  FieldReader reader(source);
  const Field root = reader.root(object);
  if (!root.present()) reader.fail(root, "the object is empty");
  if (kind == "Endpoints") {
    EndpointSlice slice = read_endpoints_as_slice(reader, root);
    return reader.finish(Object(std::move(slice)));
  }
  const KindDecoder* decoder = find_kind_decoder(kind);
  if (decoder == nullptr) {
    reader.fail(root, "kind " + std::string(kind) + " is not decoded");
    return reader.finish(Object());
  }
  Object decoded = decoder->read(reader, root);
  return reader.finish(std::move(decoded));
}

}  // namespace portico::controller
