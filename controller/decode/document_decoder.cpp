#include "common/log.h"
#include "controller/decode/decoders.h"
#include "controller/decode/field_reader.h"
#include "controller/decode/kind_table.h"
#include "controller/model/secret.h"

namespace portico::controller {
namespace {

// Decodes `node` (an object or a List) and appends what it holds to `out`; problems go to
// `reader`, which stops everything at the first.
void decode_into(FieldReader& reader, const Field& node, std::string_view source,
                 std::vector<Object>& out) {
  if (!node.present()) return;
  const Field api_version_field = reader.member(node, "apiVersion");
  const std::string kind = reader.required_string(reader.member(node, "kind"));
  const std::string api_version = reader.required_string(api_version_field);
  if (!reader.ok()) return;

  if (kind == "List" && api_version == "v1") {
    for (const Field& item : reader.items(reader.member(node, "items"))) {
      decode_into(reader, item, source, out);
      if (!reader.ok()) return;
    }
    return;
  }
  const KindDecoder* decoder = find_kind_decoder(kind);
  // A manifest folder holds the application's other Secrets too; only TLS ones concern us,
  // just as the API source asks the server for type=kubernetes.io/tls only.
  const bool other_secret =
      kind == "Secret" && reader.string(reader.member(node, "type")) != kTlsSecretType;
  if (decoder == nullptr || other_secret) {
    log::debug(
        "ignoring an object of a kind the controller does not use",
        {{"source", std::string(source)}, {"line", std::to_string(node.line())}, {"kind", kind}});
    return;
  }
  if (decoder->api_version != api_version) {
    reader.fail(api_version_field, "apiVersion " + api_version + " is not supported for " + kind +
                                       " (want " + std::string(decoder->api_version) + ")");
    return;
  }
  Object object = decoder->read(reader, node);
  if (reader.ok()) out.push_back(std::move(object));
}

}  // namespace

Result<std::vector<Object>> decode_document(const YAML::Node& document, std::string_view source) {
  FieldReader reader(source);
  std::vector<Object> objects;
  decode_into(reader, reader.root(document), source, objects);
  return reader.finish(std::move(objects));
}

}  // namespace portico::controller
