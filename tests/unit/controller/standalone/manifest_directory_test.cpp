#include "controller/standalone/manifest_directory.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/unit/controller/controller_test_support.h"
#include "tests/unit/controller/standalone/temp_directory.h"

namespace portico::controller {
namespace {

using test_support::service_yaml;

std::vector<std::string> keys(const std::vector<Object>& objects) {
  std::vector<std::string> out;
  for (const Object& object : objects) {
    out.push_back(std::string(kind_of(object)) + " " + meta_of(object).key());
  }
  return out;
}

class ManifestDirectoryTest : public ::testing::Test {
 protected:
  std::vector<std::string> reload_keys() {
    Result<std::vector<Object>> objects = manifests_.reload();
    EXPECT_TRUE(objects.ok()) << (objects.ok() ? "" : objects.error());
    return objects.ok() ? keys(objects.value()) : std::vector<std::string>{};
  }

  test_support::TempDirectory dir_;
  ManifestDirectory manifests_{dir_.path()};
};

TEST_F(ManifestDirectoryTest, ReadsManifestFilesInNameOrder) {
  dir_.write("b.yml", service_yaml("demo", "b", 80, "", ""));
  dir_.write("a.yaml",
             service_yaml("demo", "a", 80, "", "") + service_yaml("demo", "c", 80, "", ""));
  dir_.write("d.json", R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "d"}})");
  dir_.write("notes.txt", service_yaml("demo", "txt", 80, "", ""));
  dir_.write(".hidden.yaml", service_yaml("demo", "hidden", 80, "", ""));
  std::filesystem::create_directory(dir_.path() / "sub.yaml");
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/a", "Service demo/c",
                                                     "Service demo/b", "Service default/d"}));
}

TEST_F(ManifestDirectoryTest, ABrokenFileKeepsItsLastGoodObjects) {
  dir_.write("a.yaml", service_yaml("demo", "a", 80, "", ""));
  dir_.write("b.yaml", service_yaml("demo", "b", 80, "", ""));
  ASSERT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/a", "Service demo/b"}));

  ::testing::internal::CaptureStderr();
  dir_.write("a.yaml", service_yaml("demo", "a2", 80, "", "") + "  bogus: [\n");
  dir_.write("b.yaml", service_yaml("demo", "b2", 80, "", ""));
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/a", "Service demo/b2"}));
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/a", "Service demo/b2"}));
  const std::string log = ::testing::internal::GetCapturedStderr();
  const std::string where = (dir_.path() / "a.yaml").string() + ":";
  ASSERT_NE(log.find(where), std::string::npos) << log;
  EXPECT_EQ(log.find(where), log.rfind(where)) << "logged once per text:\n" << log;

  dir_.write("a.yaml", service_yaml("demo", "a3", 80, "", ""));
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/a3", "Service demo/b2"}));
}

TEST_F(ManifestDirectoryTest, AFileThatNeverParsedContributesNothing) {
  dir_.write("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {}\n");
  dir_.write("b.yaml", service_yaml("demo", "b", 80, "", ""));
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/b"}));
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("a.yaml:3: metadata.name: is required"), std::string::npos) << log;
}

TEST_F(ManifestDirectoryTest, ADeletedFileTakesItsObjectsAway) {
  dir_.write("a.yaml", service_yaml("demo", "a", 80, "", ""));
  dir_.write("b.yaml", service_yaml("demo", "b", 80, "", ""));
  ASSERT_EQ(reload_keys().size(), 2u);
  std::filesystem::remove(dir_.path() / "a.yaml");
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/b"}));
  // A new file of the same name starts afresh: nothing of the deleted one comes back.
  ::testing::internal::CaptureStderr();
  dir_.write("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {}\n");
  EXPECT_EQ(reload_keys(), (std::vector<std::string>{"Service demo/b"}));
  ::testing::internal::GetCapturedStderr();
}

TEST_F(ManifestDirectoryTest, TheFirstFileWinsWhenTwoDefineTheSameObject) {
  dir_.write("a.yaml", service_yaml("demo", "same", 80, "", ""));
  dir_.write("b.yaml", service_yaml("demo", "same", 81, "", ""));
  Result<std::vector<Object>> objects = manifests_.reload();
  ASSERT_TRUE(objects.ok());
  ASSERT_EQ(objects.value().size(), 1u);
  EXPECT_EQ(std::get<Service>(objects.value()[0]).ports[0].port, 80);
}

TEST(ManifestDirectory, FailsWhenTheFolderCannotBeRead) {
  ManifestDirectory missing("/nonexistent/portico-manifests");
  Result<std::vector<Object>> objects = missing.reload();
  ASSERT_FALSE(objects.ok());
  EXPECT_NE(objects.error().find("/nonexistent/portico-manifests"), std::string::npos);
}

}  // namespace
}  // namespace portico::controller
