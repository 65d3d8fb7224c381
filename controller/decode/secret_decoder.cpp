#include "controller/decode/base64.h"
#include "controller/decode/decoders.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {
namespace {

// One key of a TLS Secret: stringData (plain text, manifests only: the API server folds it
// into data) wins over data (base64). No message here may quote the value.
std::string read_tls_key(FieldReader& reader, const Field& data, const Field& string_data,
                         std::string_view key) {
  const Field plain = reader.member(string_data, key);
  if (plain.present()) return reader.required_string(plain);
  const Field encoded = reader.member(data, key);
  const std::string text = reader.required_string(encoded);
  if (!reader.ok()) return {};
  std::optional<std::string> bytes = decode_base64(text);
  if (!bytes) {
    reader.fail(encoded, "must be base64 (RFC 4648, padded)");
    return {};
  }
  return std::move(*bytes);
}

}  // namespace

Secret read_secret(FieldReader& reader, const Field& root) {
  Secret secret;
  secret.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  const Field type = reader.member(root, "type");
  // The API server defaults an absent type to Opaque.
  secret.type = reader.optional_string(type).value_or("Opaque");
  if (reader.ok() && secret.type != kTlsSecretType) {
    reader.fail(type,
                "not a TLS secret (type \"" + secret.type + "\", want " + kTlsSecretType + ")");
    return secret;
  }
  const Field data = reader.member(root, "data");
  const Field string_data = reader.member(root, "stringData");
  secret.certificate_pem = read_tls_key(reader, data, string_data, "tls.crt");
  secret.private_key_pem = read_tls_key(reader, data, string_data, "tls.key");
  return secret;
}

Result<Secret> decode_secret(const YAML::Node& node, std::string_view source) {
  return decode_yaml<Secret, read_secret>(node, source);
}

}  // namespace portico::controller
