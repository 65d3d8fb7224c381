#include "controller/standalone/standalone_controller.h"

#include <gtest/gtest.h>

#include "tests/unit/controller/controller_test_support.h"
#include "tests/unit/controller/standalone/temp_directory.h"

namespace portico::controller {
namespace {

using test_support::ready_endpoint;
using test_support::RecordingSink;
using test_support::service_yaml;
using test_support::simple_ingress_yaml;
using test_support::slice_yaml;

// The backend name a request would reach in `snapshot`, or "" when nothing matches.
std::string routed(const proxy::RouteSnapshot& snapshot, std::string_view host,
                   std::string_view path) {
  const proxy::RouteTarget* target = snapshot.routes.match(host, path);
  return target && target->backend ? target->backend->name : "";
}

std::vector<std::string> endpoints_of(const proxy::RouteSnapshot& snapshot, std::string_view host) {
  const proxy::RouteTarget* target = snapshot.routes.match(host, "/");
  return target && target->backend ? test_support::endpoint_strings(*target->backend)
                                   : std::vector<std::string>{};
}

class StandaloneControllerTest : public ::testing::Test {
 protected:
  StandaloneControllerTest() {
    dir_.write("web.yaml",
               service_yaml("demo", "web", 80, "http", "9001") +
                   slice_yaml("demo", "web-1", "web", "http", 9001, {ready_endpoint("10.0.0.1")}));
    dir_.write("a.yaml", simple_ingress_yaml("demo", "a", "a.test", "/", "web", 80));
    dir_.write("b.yaml", simple_ingress_yaml("demo", "b", "b.test", "/", "web", 80));
  }

  test_support::TempDirectory dir_;
  RecordingSink sink_;
  proxy::EndpointStateRegistry registry_;
  StandaloneController controller_{dir_.path(), ControllerOptions{}, sink_, registry_};
};

TEST_F(StandaloneControllerTest, StartPublishesTheFirstSnapshotBeforeReturning) {
  ASSERT_TRUE(controller_.start().ok());
  const auto first = sink_.latest();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->generation, 1u);
  EXPECT_EQ(routed(*first, "a.test", "/"), "demo/web:80");
  EXPECT_EQ(routed(*first, "b.test", "/x"), "demo/web:80");
  EXPECT_EQ(endpoints_of(*first, "a.test"), (std::vector<std::string>{"10.0.0.1:9001"}));
}

TEST_F(StandaloneControllerTest, AModifiedFileIsPublishedLive) {
  ASSERT_TRUE(controller_.start().ok());
  dir_.write("web.yaml", service_yaml("demo", "web", 80, "http", "9001") +
                             slice_yaml("demo", "web-1", "web", "http", 9001,
                                        {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}));
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return endpoints_of(s, "a.test").size() == 2; }));
  dir_.write("c.yaml", simple_ingress_yaml("demo", "c", "c.test", "/", "web", 80));
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return routed(s, "c.test", "/") == "demo/web:80"; }));
  const auto snapshots = sink_.snapshots();
  for (std::size_t i = 0; i < snapshots.size(); ++i) EXPECT_EQ(snapshots[i]->generation, i + 1);
}

TEST_F(StandaloneControllerTest, ABrokenFileIsLoggedAndItsLastGoodObjectsKeepServing) {
  ASSERT_TRUE(controller_.start().ok());
  ::testing::internal::CaptureStderr();
  std::string broken = simple_ingress_yaml("demo", "a", "a.test", "/", "web", 80);
  broken.replace(broken.find("pathType: Prefix"), 16, "pathType: Sideways");
  dir_.write("a.yaml", broken);
  // Written after the broken file: once this change is live, a.yaml was read too.
  dir_.write("b.yaml", simple_ingress_yaml("demo", "b", "b2.test", "/", "web", 80));
  const bool updated = sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return routed(s, "b2.test", "/") == "demo/web:80"; });
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(updated);

  const std::string where = (dir_.path() / "a.yaml").string() + ":13: ";
  EXPECT_NE(log.find(where), std::string::npos) << log;
  EXPECT_NE(log.find("Sideways"), std::string::npos) << log;
  EXPECT_EQ(routed(*sink_.latest(), "a.test", "/"), "demo/web:80") << "last good a.yaml";
  EXPECT_EQ(routed(*sink_.latest(), "b.test", "/"), "") << "b.yaml's change applied";
}

TEST_F(StandaloneControllerTest, ADeletedFileTakesItsRoutesAway) {
  ASSERT_TRUE(controller_.start().ok());
  std::filesystem::remove(dir_.path() / "a.yaml");
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return routed(s, "a.test", "/").empty(); }));
  EXPECT_EQ(routed(*sink_.latest(), "b.test", "/"), "demo/web:80");
}

TEST_F(StandaloneControllerTest, StopEndsLiveUpdatesAndMayBeRepeated) {
  ASSERT_TRUE(controller_.start().ok());
  controller_.stop();
  controller_.stop();
}

TEST(StandaloneController, StartFailsWhenTheFolderCannotBeRead) {
  RecordingSink sink;
  proxy::EndpointStateRegistry registry;
  StandaloneController controller("/nonexistent/portico-manifests", ControllerOptions{}, sink,
                                  registry);
  const Status status = controller.start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().find("/nonexistent/portico-manifests"), std::string::npos);
  EXPECT_EQ(sink.latest(), nullptr);
}

TEST(StandaloneController, AnEmptyFolderPublishesAnEmptySnapshot) {
  test_support::TempDirectory dir;
  RecordingSink sink;
  proxy::EndpointStateRegistry registry;
  StandaloneController controller(dir.path(), ControllerOptions{}, sink, registry);
  ASSERT_TRUE(controller.start().ok());
  ASSERT_NE(sink.latest(), nullptr);
  EXPECT_EQ(sink.latest()->routes.match("any", "/"), nullptr);
  EXPECT_TRUE(sink.latest()->backends.empty());
}

}  // namespace
}  // namespace portico::controller
