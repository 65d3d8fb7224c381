// The fake API server's watch streams over real HTTP: chunked events as they happen, replay
// from a resourceVersion, selectors, bookmarks, timeouts and 410 after compaction.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"
#include "tests/unit/fakes/http_test_client.h"

namespace portico::testing {
namespace {

using std::chrono::milliseconds;

constexpr char kServices[] = "/api/v1/services";
constexpr char kSecrets[] = "/api/v1/secrets";
constexpr milliseconds kQuiet(150);  // long enough to see that nothing was sent

struct Event {
  std::string type;
  web::json::value object;
  std::string name() const { return metadata_field(object, "name"); }
  std::string version() const { return metadata_field(object, "resourceVersion"); }
};

// Opens a watch on `client` and checks the streamed response head.
void open_watch(HttpTestClient& client, const std::string& target) {
  client.send("GET", target);
  const TestResponse head = client.receive_head();
  ASSERT_EQ(head.status, 200);
  EXPECT_EQ(head.headers.at("transfer-encoding"), "chunked");
  EXPECT_EQ(head.headers.at("content-type"), "application/json");
}

// The next chunk, which must be exactly one event line.
Event next_event(HttpTestClient& client) {
  const TestChunk chunk = client.next_chunk();
  EXPECT_EQ(chunk.kind, TestChunk::Kind::kData);
  if (chunk.kind != TestChunk::Kind::kData) return {};
  EXPECT_EQ(chunk.data.find('\n'), chunk.data.size() - 1) << chunk.data;
  const auto line = parse_json(chunk.data);
  return Event{line.at("type").as_string(), line.at("object")};
}

void expect_quiet(HttpTestClient& client) {
  EXPECT_EQ(client.next_chunk(kQuiet).kind, TestChunk::Kind::kTimeout);
}

class FakeApiServerWatchTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }
  FakeApiServer server_;
};

TEST_F(FakeApiServerWatchTest, StreamsEachEventAsItsOwnChunkWhenItHappens) {
  server_.create(kServices, object_json("ns", "before"));
  HttpTestClient client(server_.port());
  open_watch(client, "/api/v1/services?watch=1&resourceVersion=" + server_.resource_version());
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  expect_quiet(client);

  server_.create(kServices, object_json("ns", "web"));
  const Event added = next_event(client);
  EXPECT_EQ(added.type, "ADDED");
  EXPECT_EQ(added.name(), "web");
  EXPECT_EQ(added.version(), server_.resource_version());
  expect_quiet(client);

  server_.update(kServices, object_json("ns", "web", R"("spec":{"x":1})"));
  const Event modified = next_event(client);
  EXPECT_EQ(modified.type, "MODIFIED");
  EXPECT_EQ(modified.object.at("spec").at("x").as_integer(), 1);

  server_.remove(kServices, "ns", "web");
  const Event deleted = next_event(client);
  EXPECT_EQ(deleted.type, "DELETED");
  EXPECT_EQ(deleted.version(), server_.resource_version());
  server_.create(kSecrets, object_json("ns", "another-resource"));
  expect_quiet(client);
}

TEST_F(FakeApiServerWatchTest, WithoutAVersionStartsWithEveryObjectAsAdded) {
  server_.create(kServices, object_json("a", "one"));
  server_.create(kServices, object_json("b", "elsewhere"));
  server_.create(kServices, object_json("a", "two"));
  HttpTestClient client(server_.port());
  open_watch(client, "/api/v1/namespaces/a/services?watch=true&resourceVersion=0");
  const Event first = next_event(client);
  const Event second = next_event(client);
  EXPECT_EQ(first.type, "ADDED");
  EXPECT_EQ(first.name(), "one");
  EXPECT_EQ(second.type, "ADDED");
  EXPECT_EQ(second.name(), "two");
  expect_quiet(client);
  server_.create(kServices, object_json("b", "also-elsewhere"));
  expect_quiet(client);
}

TEST_F(FakeApiServerWatchTest, ReplaysTheHistoryAfterTheGivenVersion) {
  server_.create(kServices, object_json("ns", "a"));
  const std::string version = server_.resource_version();
  server_.create(kServices, object_json("ns", "b"));
  server_.update(kServices, object_json("ns", "a", R"("spec":{})"));
  HttpTestClient client(server_.port());
  open_watch(client, "/api/v1/services?watch=1&resourceVersion=" + version);
  const Event first = next_event(client);
  const Event second = next_event(client);
  EXPECT_EQ(first.type + " " + first.name(), "ADDED b");
  EXPECT_EQ(second.type + " " + second.name(), "MODIFIED a");
  expect_quiet(client);
}

TEST_F(FakeApiServerWatchTest, FieldSelectorTurnsMatchChangesIntoAddedAndDeleted) {
  HttpTestClient client(server_.port());
  open_watch(client, "/api/v1/secrets?watch=1&resourceVersion=" + server_.resource_version() +
                         "&fieldSelector=type%3Dkubernetes.io%2Ftls");
  server_.create(kSecrets, object_json("ns", "s", R"("type":"Opaque")"));
  expect_quiet(client);
  server_.update(kSecrets, object_json("ns", "s", R"("type":"kubernetes.io/tls")"));
  EXPECT_EQ(next_event(client).type, "ADDED");
  server_.update(kSecrets, object_json("ns", "s", R"("type":"kubernetes.io/tls","data":{})"));
  EXPECT_EQ(next_event(client).type, "MODIFIED");
  server_.update(kSecrets, object_json("ns", "s", R"("type":"Opaque")"));
  EXPECT_EQ(next_event(client).type, "DELETED");
  server_.remove(kSecrets, "ns", "s");
  expect_quiet(client);
}

TEST_F(FakeApiServerWatchTest, BookmarksGoOnlyToWatchesThatAskedForThem) {
  server_.create(kServices, object_json("ns", "web"));
  HttpTestClient asked(server_.port());
  HttpTestClient plain(server_.port());
  const std::string from = "/api/v1/services?watch=1&resourceVersion=" + server_.resource_version();
  open_watch(asked, from + "&allowWatchBookmarks=true");
  open_watch(plain, from);
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 2; }));
  server_.send_bookmarks();
  const Event bookmark = next_event(asked);
  EXPECT_EQ(bookmark.type, "BOOKMARK");
  EXPECT_EQ(bookmark.version(), server_.resource_version());
  EXPECT_EQ(bookmark.object.at("kind").as_string(), "Service");
  EXPECT_EQ(bookmark.object.at("apiVersion").as_string(), "v1");
  expect_quiet(plain);
}

TEST_F(FakeApiServerWatchTest, BookmarksComeByThemselvesAtTheConfiguredInterval) {
  FakeApiServerOptions options;
  options.bookmark_interval_seconds = 1;
  FakeApiServer server(options);
  server.start();
  HttpTestClient client(server.port());
  open_watch(client, "/apis/networking.k8s.io/v1/ingresses?watch=1&allowWatchBookmarks=true");
  expect_quiet(client);
  const Event bookmark = next_event(client);
  EXPECT_EQ(bookmark.type, "BOOKMARK");
  EXPECT_EQ(bookmark.object.at("kind").as_string(), "Ingress");
}

TEST_F(FakeApiServerWatchTest, TimeoutSecondsEndsTheBodyAndTheConnectionServesOn) {
  HttpTestClient client(server_.port());
  const auto opened = std::chrono::steady_clock::now();
  open_watch(client, "/api/v1/services?watch=1&timeoutSeconds=1");
  EXPECT_EQ(client.next_chunk().kind, TestChunk::Kind::kLast);
  EXPECT_GE(std::chrono::steady_clock::now() - opened, milliseconds(900));
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 0; }));
  EXPECT_EQ(client.request("GET", "/api/v1/services").status, 200);
}

TEST_F(FakeApiServerWatchTest, AfterCompactionOldVersionsGetAnExpiredErrorEvent) {
  server_.create(kServices, object_json("ns", "a"));
  server_.create(kServices, object_json("ns", "b"));
  HttpTestClient client(server_.port());
  const TestResponse page = client.request("GET", "/api/v1/services?limit=1");
  const std::string token = parse_json(page.body).at("metadata").at("continue").as_string();
  const std::string old_version = server_.resource_version();
  server_.compact();

  open_watch(client, "/api/v1/services?watch=1&resourceVersion=" + old_version);
  const Event error = next_event(client);
  EXPECT_EQ(error.type, "ERROR");
  EXPECT_EQ(error.object.at("kind").as_string(), "Status");
  EXPECT_EQ(error.object.at("reason").as_string(), "Expired");
  EXPECT_EQ(error.object.at("code").as_integer(), 410);
  EXPECT_EQ(client.next_chunk().kind, TestChunk::Kind::kLast);

  const TestResponse expired_page =
      client.request("GET", "/api/v1/services?limit=1&continue=" + token);
  EXPECT_EQ(expired_page.status, 410);
  EXPECT_EQ(parse_json(expired_page.body).at("reason").as_string(), "Expired");

  // A fresh list gives a version that can be watched from.
  const std::string fresh = parse_json(client.request("GET", "/api/v1/services").body)
                                .at("metadata")
                                .at("resourceVersion")
                                .as_string();
  open_watch(client, "/api/v1/services?watch=1&resourceVersion=" + fresh);
  server_.create(kServices, object_json("ns", "c"));
  EXPECT_EQ(next_event(client).type, "ADDED");
}

TEST_F(FakeApiServerWatchTest, CompactionCanAnswerAPlainHttp410) {
  server_.create(kServices, object_json("ns", "a"));
  const std::string old_version = server_.resource_version();
  server_.compact(true);
  HttpTestClient client(server_.port());
  const TestResponse response =
      client.request("GET", "/api/v1/services?watch=1&resourceVersion=" + old_version);
  EXPECT_EQ(response.status, 410);
  EXPECT_EQ(parse_json(response.body).at("code").as_integer(), 410);
  EXPECT_EQ(server_.open_watches(), 0u);
}

TEST_F(FakeApiServerWatchTest, DroppedWatchesEndWithoutTheLastChunk) {
  HttpTestClient client(server_.port());
  open_watch(client, "/api/v1/services?watch=1");
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  server_.drop_watches();
  EXPECT_EQ(client.next_chunk().kind, TestChunk::Kind::kClosed);
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 0; }));
}

TEST_F(FakeApiServerWatchTest, StalledWatchesSendNothingUntilReleased) {
  HttpTestClient open(server_.port());
  open_watch(open, "/api/v1/services?watch=1&allowWatchBookmarks=true");
  server_.stall_watches(true);
  HttpTestClient fresh(server_.port());
  fresh.send("GET", "/api/v1/services?watch=1");
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 2; }));
  server_.create(kServices, object_json("ns", "held"));
  server_.send_bookmarks();
  expect_quiet(open);
  EXPECT_EQ(fresh.receive_head(kQuiet).status, 0);

  server_.stall_watches(false);
  const Event held = next_event(open);
  EXPECT_EQ(held.type + " " + held.name(), "ADDED held");
  expect_quiet(open);  // the bookmark sent while stalled is not owed
  EXPECT_EQ(fresh.receive_head().status, 200);
}

TEST_F(FakeApiServerWatchTest, AClientThatHangsUpNoLongerCountsAsAWatch) {
  {
    HttpTestClient client(server_.port());
    open_watch(client, "/api/v1/services?watch=1");
    EXPECT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  }
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 0; }));
}

}  // namespace
}  // namespace portico::testing
