// TLS Secrets from manifests (YAML) and from the API server (JSON).
#include <gtest/gtest.h>

#include <cpprest/json.h>
#include <yaml-cpp/yaml.h>

#include "controller/decode/api_decoders.h"
#include "controller/decode/decoders.h"

namespace portico::controller {
namespace {

// base64 of these, written out so a test cannot pass by echoing its input.
constexpr char kCertificate[] = "-----BEGIN CERTIFICATE-----\nMIIBc2VjcmV0Y2VydA==\n";
constexpr char kCertificateBase64[] =
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJjMlZqY21WMFkyVnlkQT09Cg==";
constexpr char kKey[] = "hunter2-private-key";
constexpr char kKeyBase64[] = "aHVudGVyMi1wcml2YXRlLWtleQ==";

std::string tls_secret_yaml(const std::string& type, const std::string& crt,
                            const std::string& key) {
  return "apiVersion: v1\nkind: Secret\nmetadata: {name: shop-tls, namespace: store}\n" + type +
         "data:\n" + crt + key;
}

TEST(SecretDecoder, DecodesTlsDataFromYamlAndJson) {
  const Result<Secret> from_yaml = decode_secret(
      YAML::Load(tls_secret_yaml("type: kubernetes.io/tls\n",
                                 std::string("  tls.crt: ") + kCertificateBase64 + "\n",
                                 std::string("  tls.key: ") + kKeyBase64 + "\n")),
      "s.yaml");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.error();
  EXPECT_EQ(from_yaml.value().meta.key(), "store/shop-tls");
  EXPECT_EQ(from_yaml.value().type, kTlsSecretType);
  EXPECT_EQ(from_yaml.value().certificate_pem, kCertificate);
  EXPECT_EQ(from_yaml.value().private_key_pem, kKey);

  std::error_code error;
  const web::json::value json = web::json::value::parse(
      std::string(R"({"metadata": {"name": "shop-tls", "namespace": "store"},
                      "type": "kubernetes.io/tls", "data": {"tls.crt": ")") +
          kCertificateBase64 + R"(", "tls.key": ")" + kKeyBase64 + R"(", "ca.crt": "Zm9v"}})",
      error);
  ASSERT_FALSE(error);
  const Result<Object> from_json = decode_api_object("Secret", json, "Secret store/shop-tls");
  ASSERT_TRUE(from_json.ok()) << from_json.error();
  EXPECT_TRUE(Object(from_yaml.value()) == from_json.value());
}

TEST(SecretDecoder, StringDataIsPlainTextAndWinsOverData) {
  const Result<Secret> secret = decode_secret(
      YAML::Load("metadata: {name: s}\ntype: kubernetes.io/tls\nstringData:\n"
                 "  tls.key: plain-key\ndata:\n  tls.crt: Y2VydA==\n  tls.key: b2xkLWtleQ==\n"),
      "");
  ASSERT_TRUE(secret.ok()) << secret.error();
  EXPECT_EQ(secret.value().certificate_pem, "cert");
  EXPECT_EQ(secret.value().private_key_pem, "plain-key");
}

TEST(SecretDecoder, DecodeDocumentKnowsSecrets) {
  const Result<std::vector<Object>> objects =
      decode_document(YAML::Load(tls_secret_yaml("type: kubernetes.io/tls\n",
                                                 "  tls.crt: Y2VydA==\n", "  tls.key: a2V5\n")),
                      "s.yaml");
  ASSERT_TRUE(objects.ok()) << objects.error();
  ASSERT_EQ(objects.value().size(), 1u);
  EXPECT_EQ(kind_of(objects.value()[0]), "Secret");
  EXPECT_EQ(std::get<Secret>(objects.value()[0]).private_key_pem, "key");
}

TEST(SecretDecoder, DecodeDocumentSkipsSecretsThatAreNotTls) {
  // An application's own Secrets live in the same manifest folder; they are not ours to read
  // and must not make the file fail.
  for (const char* type : {"type: Opaque\n", ""}) {
    const Result<std::vector<Object>> objects = decode_document(
        YAML::Load(tls_secret_yaml(type, "  password: aHVudGVyMg==\n", "")), "s.yaml");
    ASSERT_TRUE(objects.ok()) << objects.error();
    EXPECT_TRUE(objects.value().empty());
  }
}

struct BadSecret {
  std::string yaml;
  std::string error;
};

class SecretDecoderErrors : public ::testing::TestWithParam<BadSecret> {};

TEST_P(SecretDecoderErrors, SayWhatIsWrongWithoutQuotingTheSecret) {
  const Result<Secret> result = decode_secret(YAML::Load(GetParam().yaml), "s.yaml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), GetParam().error);
  for (const char* secret : {kKey, kKeyBase64, "aHVudGVy", "hunter2"}) {
    EXPECT_EQ(result.error().find(secret), std::string::npos) << "leaks " << secret;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SecretDecoderErrors,
    ::testing::Values(
        BadSecret{tls_secret_yaml("type: Opaque\n", "  tls.crt: Y2VydA==\n",
                                  std::string("  tls.key: ") + kKeyBase64 + "\n"),
                  "s.yaml:4: type: not a TLS secret (type \"Opaque\", want kubernetes.io/tls)"},
        // The API server's default type.
        BadSecret{tls_secret_yaml("", "  tls.crt: Y2VydA==\n",
                                  std::string("  tls.key: ") + kKeyBase64 + "\n"),
                  "s.yaml:1: type: not a TLS secret (type \"Opaque\", want kubernetes.io/tls)"},
        // Base64 that is almost right: no padding, whitespace, URL-safe alphabet.
        BadSecret{tls_secret_yaml("type: kubernetes.io/tls\n", "  tls.crt: Y2VydA==\n",
                                  "  tls.key: aHVudGVyMi1wcml2YXRlLWtleQ\n"),
                  "s.yaml:7: data[tls.key]: must be base64 (RFC 4648, padded)"},
        BadSecret{tls_secret_yaml("type: kubernetes.io/tls\n", "  tls.crt: Y2VydA==\n",
                                  "  tls.key: \"aHVudGVyMi1wcml2\\nYXRlLWtleQ==\"\n"),
                  "s.yaml:7: data[tls.key]: must be base64 (RFC 4648, padded)"},
        BadSecret{tls_secret_yaml("type: kubernetes.io/tls\n", "  tls.crt: Y2VydA==\n",
                                  "  tls.key: aHVudGVyMi1wcml2YXRlLWtleQ-_\n"),
                  "s.yaml:7: data[tls.key]: must be base64 (RFC 4648, padded)"},
        BadSecret{tls_secret_yaml("type: kubernetes.io/tls\n",
                                  std::string("  tls.key: ") + kKeyBase64 + "\n", ""),
                  "s.yaml:6: data[tls.crt]: is required"},
        BadSecret{tls_secret_yaml("type: kubernetes.io/tls\n", "  tls.crt: Y2VydA==\n",
                                  "  tls.key: \"\"\n"),
                  "s.yaml:7: data[tls.key]: is required"},
        BadSecret{tls_secret_yaml("type: kubernetes.io/tls\n", "  tls.crt: Y2VydA==\n",
                                  std::string("  tls.key: [") + kKeyBase64 + "]\n"),
                  "s.yaml:7: data[tls.key]: must be a string"},
        BadSecret{"metadata: {name: s}\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: c\n"
                  "  tls.key: {hunter2: 1}\n",
                  "s.yaml:5: stringData[tls.key]: must be a string"}));

TEST(SecretDecoder, JsonErrorsDoNotQuoteTheSecretEither) {
  std::error_code error;
  const web::json::value json = web::json::value::parse(
      std::string(R"({"metadata": {"name": "s"}, "type": "kubernetes.io/tls",
                      "data": {"tls.crt": "Y2VydA==", "tls.key": "aHVudGVyMi1wcml2YXRlLWtleQ"}})"),
      error);
  ASSERT_FALSE(error);
  const Result<Object> result = decode_api_object("Secret", json, "Secret default/s");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "Secret default/s: data[tls.key]: must be base64 (RFC 4648, padded)");
  EXPECT_EQ(result.error().find("aHVudGVy"), std::string::npos);
}

}  // namespace
}  // namespace portico::controller
