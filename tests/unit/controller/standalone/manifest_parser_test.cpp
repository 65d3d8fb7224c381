#include "controller/standalone/manifest_parser.h"

#include <gtest/gtest.h>

namespace portico::controller {
namespace {

TEST(ManifestParser, ReadsEveryDocumentOfAFile) {
  const ParsedManifest parsed = parse_manifest(
      "# comment\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n---\n"
      "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: c}\n"
      "spec: {controller: x}\n",
      "all.yaml");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.objects.size(), 2u);
  EXPECT_EQ(meta_of(parsed.objects[0]).key(), "default/a");
  EXPECT_EQ(meta_of(parsed.objects[1]).key(), "c");
}

TEST(ManifestParser, ReportsEachBrokenDocumentWithItsFileLine) {
  const ParsedManifest parsed = parse_manifest(
      "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  ports:\n"
      "    - port: 0\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n"
      "spec: {type: [x]}\n",
      "dir/app.yaml");
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_EQ(parsed.errors[0],
            "dir/app.yaml:10: spec.ports[0].port: must be between 1 and 65535, got 0");
  EXPECT_EQ(parsed.errors[1], "dir/app.yaml:15: spec.type: must be a string");
}

TEST(ManifestParser, ReportsYamlSyntaxErrorsWithTheirLine) {
  const ParsedManifest parsed =
      parse_manifest("apiVersion: v1\nkind: Service\nmetadata: {name: [a}\n", "s.yaml");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].rfind("s.yaml:3: ", 0), 0u) << parsed.errors[0];
  EXPECT_TRUE(parsed.objects.empty());
}

}  // namespace
}  // namespace portico::controller
