#include "controller/kube/api_json.h"

#include <gtest/gtest.h>

namespace portico::controller::kube {
namespace {

TEST(ApiJsonTest, ListPageGivesItemsVersionAndContinueToken) {
  const Result<ListPage> page = parse_list_page(
      R"({"kind":"ServiceList","metadata":{"resourceVersion":"42","continue":"abc"},)"
      R"("items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})");
  ASSERT_TRUE(page.ok()) << page.error();
  EXPECT_EQ(page.value().resource_version, "42");
  EXPECT_EQ(page.value().continue_token, "abc");
  ASSERT_EQ(page.value().items.size(), 2u);
  EXPECT_EQ(object_key(page.value().items[1], true), "default/b");
}

TEST(ApiJsonTest, EmptyListMayOmitItemsButNotItsVersion) {
  const Result<ListPage> empty = parse_list_page(R"({"metadata":{"resourceVersion":"7"}})");
  ASSERT_TRUE(empty.ok()) << empty.error();
  EXPECT_TRUE(empty.value().items.empty());
  EXPECT_TRUE(empty.value().continue_token.empty());

  EXPECT_FALSE(parse_list_page(R"({"metadata":{},"items":[]})").ok());
  EXPECT_FALSE(parse_list_page(R"({"metadata":{"resourceVersion":"1"},"items":{}})").ok());
  EXPECT_FALSE(parse_list_page("not json").ok());
  EXPECT_FALSE(parse_list_page("[]").ok());
}

TEST(ApiJsonTest, WatchEventsOfEveryType) {
  const Result<WatchEvent> added = parse_watch_event(
      R"({"type":"ADDED","object":{"metadata":{"name":"a","namespace":"x","resourceVersion":"5"}}})");
  ASSERT_TRUE(added.ok()) << added.error();
  EXPECT_EQ(added.value().type, WatchEventType::kAdded);
  EXPECT_EQ(added.value().resource_version, "5");
  EXPECT_EQ(object_key(added.value().object, true), "x/a");

  EXPECT_EQ(parse_watch_event(R"({"type":"MODIFIED","object":{}})").value().type,
            WatchEventType::kModified);
  EXPECT_EQ(parse_watch_event(R"({"type":"DELETED","object":{}})").value().type,
            WatchEventType::kDeleted);
  const Result<WatchEvent> bookmark = parse_watch_event(
      R"({"type":"BOOKMARK","object":{"kind":"Service","metadata":{"resourceVersion":"99"}}})");
  EXPECT_EQ(bookmark.value().type, WatchEventType::kBookmark);
  EXPECT_EQ(bookmark.value().resource_version, "99");
}

TEST(ApiJsonTest, ErrorEventCarriesTheStatusCode) {
  const Result<WatchEvent> gone = parse_watch_event(
      R"({"type":"ERROR","object":{"kind":"Status","status":"Failure",)"
      R"json("message":"too old resource version: 1 (5)","reason":"Expired","code":410}})json");
  ASSERT_TRUE(gone.ok()) << gone.error();
  EXPECT_EQ(gone.value().type, WatchEventType::kError);
  EXPECT_EQ(gone.value().error_code, 410);
  EXPECT_EQ(gone.value().error_message, "too old resource version: 1 (5)");
}

TEST(ApiJsonTest, BrokenEventsAreErrors) {
  EXPECT_FALSE(parse_watch_event(R"({"type":"ADDED"})").ok());
  EXPECT_FALSE(parse_watch_event(R"({"type":"ADDED","object":"x"})").ok());
  EXPECT_FALSE(parse_watch_event(R"({"type":"RENAMED","object":{}})").ok());
  EXPECT_FALSE(parse_watch_event(R"({"type":"ADDED","object":{})").ok());
}

TEST(ApiJsonTest, ClusterScopedKeysHaveNoNamespace) {
  const web::json::value object =
      web::json::value::parse(R"({"metadata":{"name":"portico","namespace":"ignored"}})");
  EXPECT_EQ(object_key(object, false), "portico");
  EXPECT_EQ(object_key(web::json::value::parse(R"({"metadata":{}})"), true), "");
}

TEST(ApiJsonTest, ErrorDescriptionsUseTheStatusMessage) {
  EXPECT_EQ(describe_error(403, R"({"kind":"Status","status":"Failure","message":"services is )"
                                R"(forbidden","reason":"Forbidden","code":403})"),
            "HTTP 403 Forbidden: services is forbidden");
  EXPECT_EQ(describe_error(502, "<html>bad gateway</html>"), "HTTP 502: <html>bad gateway</html>");
  EXPECT_EQ(describe_error(500, std::string(1000, 'x')).size(),
            std::string("HTTP 500: ").size() + 200);
}

}  // namespace
}  // namespace portico::controller::kube
