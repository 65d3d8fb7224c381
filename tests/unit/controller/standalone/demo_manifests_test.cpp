// The manifests in examples/demo are what the README demo, the integration tests and the
// benchmarks rely on: check they load cleanly and route as documented.
#include <gtest/gtest.h>

#include "controller/standalone/manifest_directory.h"
#include "controller/store/store_contents.h"
#include "controller/translate/snapshot_builder.h"
#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

// tests/unit/controller/standalone/ -> repository root.
const std::filesystem::path kDemo = std::filesystem::path(__FILE__)
                                        .parent_path()
                                        .parent_path()
                                        .parent_path()
                                        .parent_path()
                                        .parent_path() /
                                    "examples" / "demo";

TEST(DemoManifests, LoadWithoutErrorsAndRouteAsDocumented) {
  ::testing::internal::CaptureStderr();
  ManifestDirectory manifests(kDemo);
  Result<std::vector<Object>> objects = manifests.reload();
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(objects.ok()) << objects.error();
  EXPECT_EQ(log.find(" error "), std::string::npos) << log;

  StoreContents contents;
  for (Object& object : objects.value()) contents.put(std::move(object));
  proxy::EndpointStateRegistry registry;
  const Translation translation = build_snapshot(contents, TranslateOptions{}, 1, registry);
  EXPECT_TRUE(translation.warnings.empty());

  auto backend_at = [&](std::string_view host, std::string_view path) -> const proxy::Backend* {
    const proxy::RouteTarget* target = translation.snapshot->routes.match(host, path);
    return target ? target->backend.get() : nullptr;
  };
  const proxy::Backend* web = backend_at("demo.local", "/");
  const proxy::Backend* api = backend_at("demo.local", "/api/users");
  const proxy::Backend* any = backend_at("localhost:8080", "/");
  ASSERT_TRUE(web && api && any);
  EXPECT_EQ(web->name, "demo/web:80");
  EXPECT_EQ(test_support::endpoint_strings(*web),
            (std::vector<std::string>{"127.0.0.2:9001", "127.0.0.3:9001"}));
  EXPECT_EQ(api->name, "demo/api:80");
  EXPECT_EQ(test_support::endpoint_strings(*api), (std::vector<std::string>{"127.0.0.3:9002"}));
  EXPECT_EQ(any, web);
  EXPECT_EQ(translation.snapshot->backends.size(), 2u);
}

}  // namespace
}  // namespace portico::controller
