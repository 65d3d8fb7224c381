// The fake API server's object endpoints over real HTTP: list, pagination, selectors, create,
// update with conflicts, merge patch, the status subresource, delete, discovery.
#include "tests/fakes/fake_api_server/fake_api_server.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/fakes/fake_api_server_test_support.h"
#include "tests/unit/fakes/http_test_client.h"

namespace portico::testing {
namespace {

constexpr char kServices[] = "/api/v1/services";
constexpr char kSecrets[] = "/api/v1/secrets";
constexpr char kMergePatch[] = "Content-Type: application/merge-patch+json";

class FakeApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }

  std::vector<std::string> item_names(const TestResponse& response) {
    std::vector<std::string> names;
    const web::json::value list = parse_json(response.body);
    for (const auto& item : list.at("items").as_array()) {
      names.push_back(metadata_field(item, "namespace") + "/" + metadata_field(item, "name"));
    }
    return names;
  }

  FakeApiServer server_;
};

TEST_F(FakeApiServerTest, CreateAssignsMetadataThatGetReturns) {
  const auto first = parse_json(server_.create(kServices, object_json("default", "web")));
  const auto second = parse_json(server_.create(kServices, object_json("default", "api")));
  EXPECT_EQ(metadata_field(first, "resourceVersion"), "1");
  EXPECT_EQ(metadata_field(second, "resourceVersion"), "2");
  EXPECT_EQ(server_.resource_version(), "2");
  EXPECT_EQ(metadata_field(first, "uid").size(), 36u);
  EXPECT_NE(metadata_field(first, "uid"), metadata_field(second, "uid"));
  EXPECT_FALSE(metadata_field(first, "creationTimestamp").empty());
  EXPECT_EQ(first.at("kind").as_string(), "Service");
  EXPECT_EQ(first.at("apiVersion").as_string(), "v1");

  HttpTestClient client(server_.port());
  const TestResponse found = client.request("GET", "/api/v1/namespaces/default/services/web");
  EXPECT_EQ(found.status, 200);
  EXPECT_EQ(found.headers.at("content-type"), "application/json");
  EXPECT_EQ(parse_json(found.body), first);
  EXPECT_EQ(server_.get(kServices, "default", "web"), found.body);

  const TestResponse missing = client.request("GET", "/api/v1/namespaces/default/services/nope");
  EXPECT_EQ(missing.status, 404);
  const auto status = parse_json(missing.body);
  EXPECT_EQ(status.at("kind").as_string(), "Status");
  EXPECT_EQ(status.at("reason").as_string(), "NotFound");
  EXPECT_EQ(status.at("code").as_integer(), 404);
  EXPECT_EQ(status.at("message").as_string(), "services \"nope\" not found");
  EXPECT_EQ(status.at("details").at("name").as_string(), "nope");
}

TEST_F(FakeApiServerTest, ListsOrderedByNamespaceAndNameAcrossOrWithinANamespace) {
  server_.create(kServices, object_json("b", "x"));
  server_.create(kServices, object_json("a", "y"));
  server_.create(kServices, object_json("a", "x"));
  server_.create(kSecrets, object_json("a", "other-resource"));

  HttpTestClient client(server_.port());
  const TestResponse all = client.request("GET", "/api/v1/services?resourceVersion=0");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(item_names(all), (std::vector<std::string>{"a/x", "a/y", "b/x"}));
  const auto list = parse_json(all.body);
  EXPECT_EQ(list.at("kind").as_string(), "ServiceList");
  EXPECT_EQ(list.at("apiVersion").as_string(), "v1");
  EXPECT_EQ(list.at("metadata").at("resourceVersion").as_string(), server_.resource_version());
  EXPECT_FALSE(list.at("metadata").has_field("continue"));

  const TestResponse one = client.request("GET", "/api/v1/namespaces/a/services");
  EXPECT_EQ(item_names(one), (std::vector<std::string>{"a/x", "a/y"}));
  EXPECT_EQ(server_.list(kServices).size(), 3u);

  const TestResponse ingresses = client.request("GET", "/apis/networking.k8s.io/v1/ingresses");
  EXPECT_EQ(parse_json(ingresses.body).at("kind").as_string(), "IngressList");
  EXPECT_EQ(parse_json(ingresses.body).at("apiVersion").as_string(), "networking.k8s.io/v1");
  EXPECT_TRUE(parse_json(ingresses.body).at("items").as_array().size() == 0);
}

TEST_F(FakeApiServerTest, PaginatesWithLimitAndContinueAtTheFirstPagesVersion) {
  for (const char* name : {"e", "d", "c", "b", "a"})
    server_.create(kServices, object_json("ns", name));
  HttpTestClient client(server_.port());
  const TestResponse first = client.request("GET", "/api/v1/services?limit=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(item_names(first), (std::vector<std::string>{"ns/a", "ns/b"}));
  const auto first_metadata = parse_json(first.body).at("metadata");
  EXPECT_EQ(first_metadata.at("remainingItemCount").as_integer(), 3);
  const std::string version = first_metadata.at("resourceVersion").as_string();

  server_.create(kServices, object_json("other", "late"));  // between pages
  std::vector<std::string> names = item_names(first);
  std::string token = first_metadata.at("continue").as_string();
  int pages = 1;
  while (!token.empty()) {
    const TestResponse page = client.request("GET", "/api/v1/services?limit=2&continue=" + token);
    ASSERT_EQ(page.status, 200) << page.body;
    const auto metadata = parse_json(page.body).at("metadata");
    EXPECT_EQ(metadata.at("resourceVersion").as_string(), version);
    for (const std::string& name : item_names(page)) names.push_back(name);
    token = metadata.has_field("continue") ? metadata.at("continue").as_string() : "";
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names,
            (std::vector<std::string>{"ns/a", "ns/b", "ns/c", "ns/d", "ns/e", "other/late"}));
  EXPECT_EQ(client.request("GET", "/api/v1/services?continue=zz").status, 400);
}

TEST_F(FakeApiServerTest, FiltersListsBySelectors) {
  server_.create(kSecrets, object_json("ns", "cert", R"("type":"kubernetes.io/tls")"));
  server_.create(kSecrets, object_json("ns", "token", R"("type":"Opaque")"));
  server_.create(kSecrets, object_json("ns", "other-cert", R"("type":"kubernetes.io/tls")"));
  server_.create(kSecrets, R"({"metadata":{"name":"labelled","namespace":"ns",)"
                           R"("labels":{"app.kubernetes.io/name":"web"}},"type":"Opaque"})");
  HttpTestClient client(server_.port());
  const auto names = [&](const std::string& query) {
    const TestResponse response = client.request("GET", "/api/v1/secrets?" + query);
    EXPECT_EQ(response.status, 200) << query;
    return response.status == 200 ? item_names(response) : std::vector<std::string>{};
  };
  EXPECT_EQ(names("fieldSelector=type%3Dkubernetes.io%2Ftls"),
            (std::vector<std::string>{"ns/cert", "ns/other-cert"}));
  EXPECT_EQ(names("fieldSelector=type=kubernetes.io/tls,metadata.name=cert"),
            (std::vector<std::string>{"ns/cert"}));
  EXPECT_EQ(names("fieldSelector=type!=kubernetes.io/tls"),
            (std::vector<std::string>{"ns/labelled", "ns/token"}));
  EXPECT_EQ(names("labelSelector=app.kubernetes.io/name==web"),
            (std::vector<std::string>{"ns/labelled"}));
  EXPECT_EQ(names("labelSelector=!app.kubernetes.io/name&fieldSelector=metadata.name==token"),
            (std::vector<std::string>{"ns/token"}));
  EXPECT_EQ(client.request("GET", "/api/v1/secrets?fieldSelector=type").status, 400);
}

TEST_F(FakeApiServerTest, PostCreatesOnceAndReportsConflictsAsTheApiServerDoes) {
  HttpTestClient client(server_.port());
  const std::string path = "/api/v1/namespaces/ns/services";
  const TestResponse created = client.request("POST", path, object_json("", "web"));
  ASSERT_EQ(created.status, 201);
  const auto object = parse_json(created.body);
  EXPECT_EQ(metadata_field(object, "namespace"), "ns");
  EXPECT_EQ(metadata_field(object, "resourceVersion"), server_.resource_version());
  EXPECT_TRUE(server_.get(kServices, "ns", "web").has_value());

  const TestResponse again = client.request("POST", path, object_json("ns", "web"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(parse_json(again.body).at("reason").as_string(), "AlreadyExists");
  EXPECT_EQ(client.request("POST", path, object_json("elsewhere", "x")).status, 400);
  EXPECT_EQ(client.request("POST", path, "{not json").status, 400);

  const TestResponse generated =
      client.request("POST", path, R"({"metadata":{"generateName":"event-"}})");
  ASSERT_EQ(generated.status, 201);
  const std::string name = metadata_field(parse_json(generated.body), "name");
  EXPECT_EQ(name.size(), 11u);
  EXPECT_EQ(name.rfind("event-", 0), 0u);
}

TEST_F(FakeApiServerTest, PutWithAStaleResourceVersionIsAConflict) {
  const auto stored =
      parse_json(server_.create(kServices, object_json("ns", "web", R"("spec":{"a":1})")));
  const std::string version = metadata_field(stored, "resourceVersion");
  HttpTestClient client(server_.port());
  const std::string path = "/api/v1/namespaces/ns/services/web";
  const std::string with_version =
      R"({"metadata":{"name":"web","resourceVersion":")" + version + R"("},"spec":{"a":2}})";
  const TestResponse updated = client.request("PUT", path, with_version);
  ASSERT_EQ(updated.status, 200);
  const auto object = parse_json(updated.body);
  EXPECT_EQ(object.at("spec").at("a").as_integer(), 2);
  EXPECT_EQ(metadata_field(object, "uid"), metadata_field(stored, "uid"));
  EXPECT_GT(std::stoi(metadata_field(object, "resourceVersion")), std::stoi(version));

  const TestResponse stale = client.request("PUT", path, with_version);
  EXPECT_EQ(stale.status, 409);
  const auto status = parse_json(stale.body);
  EXPECT_EQ(status.at("reason").as_string(), "Conflict");
  EXPECT_NE(status.at("message").as_string().find("the object has been modified"),
            std::string::npos);
  EXPECT_EQ(parse_json(*server_.get(kServices, "ns", "web")).at("spec").at("a").as_integer(), 2);

  EXPECT_EQ(client.request("PUT", path, object_json("ns", "web", R"("spec":{"a":3})")).status, 200);
  EXPECT_EQ(client.request("PUT", path, object_json("ns", "other")).status, 400);
  EXPECT_EQ(
      client.request("PUT", "/api/v1/namespaces/ns/services/absent", object_json("ns", "absent"))
          .status,
      404);
}

TEST_F(FakeApiServerTest, MergePatchMergesObjectsDeletesNullsAndReplacesArrays) {
  server_.create(kServices, R"({"metadata":{"name":"web","namespace":"ns","labels":{"a":"1"},)"
                            R"("annotations":{"gone":"x"}},"spec":{"ports":[1,2],"type":"A"}})");
  HttpTestClient client(server_.port());
  const std::string path = "/api/v1/namespaces/ns/services/web";
  const TestResponse patched = client.request(
      "PATCH", path,
      R"({"metadata":{"labels":{"b":"2"},"annotations":{"gone":null}},"spec":{"ports":[3]}})",
      kMergePatch);
  ASSERT_EQ(patched.status, 200) << patched.body;
  const auto object = parse_json(patched.body);
  EXPECT_EQ(object.at("metadata").at("labels").at("a").as_string(), "1");
  EXPECT_EQ(object.at("metadata").at("labels").at("b").as_string(), "2");
  EXPECT_FALSE(object.at("metadata").at("annotations").has_field("gone"));
  EXPECT_EQ(object.at("spec").at("ports").serialize(), "[3]");
  EXPECT_EQ(object.at("spec").at("type").as_string(), "A");
  EXPECT_EQ(parse_json(*server_.get(kServices, "ns", "web")), object);

  EXPECT_EQ(client
                .request("PATCH", path, R"({"spec":{"type":"B"}})",
                         "Content-Type: application/strategic-merge-patch+json")
                .status,
            200);
  EXPECT_EQ(client.request("PATCH", path, "[]", "Content-Type: application/json-patch+json").status,
            415);
  EXPECT_EQ(
      client.request("PATCH", path, R"({"metadata":{"resourceVersion":"1"}})", kMergePatch).status,
      409);
  EXPECT_EQ(client.request("PATCH", path + "x", "{}", kMergePatch).status, 404);
}

TEST_F(FakeApiServerTest, StatusSubresourceChangesOnlyStatusAndObjectWritesKeepIt) {
  server_.create(kServices, object_json("ns", "web", R"("spec":{"v":1},"status":{"s":1})"));
  HttpTestClient client(server_.port());
  const std::string path = "/api/v1/namespaces/ns/services/web";

  const TestResponse put_status = client.request(
      "PUT", path + "/status", object_json("ns", "web", R"("spec":{"v":9},"status":{"s":2})"));
  ASSERT_EQ(put_status.status, 200);
  EXPECT_EQ(parse_json(put_status.body).at("spec").at("v").as_integer(), 1);
  EXPECT_EQ(parse_json(put_status.body).at("status").at("s").as_integer(), 2);

  const TestResponse patch_status = client.request(
      "PATCH", path + "/status", R"({"spec":{"v":8},"status":{"t":3}})", kMergePatch);
  ASSERT_EQ(patch_status.status, 200);
  const auto patched = parse_json(patch_status.body);
  EXPECT_EQ(patched.at("spec").at("v").as_integer(), 1);
  EXPECT_EQ(patched.at("status").at("s").as_integer(), 2);
  EXPECT_EQ(patched.at("status").at("t").as_integer(), 3);

  const TestResponse put_object =
      client.request("PUT", path, object_json("ns", "web", R"("spec":{"v":5},"status":{"s":7})"));
  ASSERT_EQ(put_object.status, 200);
  EXPECT_EQ(parse_json(put_object.body).at("spec").at("v").as_integer(), 5);
  EXPECT_EQ(parse_json(put_object.body).at("status"), patched.at("status"));

  const TestResponse get_status = client.request("GET", path + "/status");
  EXPECT_EQ(get_status.status, 200);
  EXPECT_EQ(parse_json(get_status.body), parse_json(*server_.get(kServices, "ns", "web")));
  EXPECT_EQ(client.request("GET", path + "/scale").status, 404);
}

TEST_F(FakeApiServerTest, DeleteAnswersTheLastStateThenNotFound) {
  server_.create(kServices, object_json("ns", "web"));
  HttpTestClient client(server_.port());
  const std::string path = "/api/v1/namespaces/ns/services/web";
  const TestResponse deleted = client.request("DELETE", path);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(metadata_field(parse_json(deleted.body), "resourceVersion"),
            server_.resource_version());
  EXPECT_FALSE(server_.get(kServices, "ns", "web").has_value());
  EXPECT_EQ(client.request("DELETE", path).status, 404);
  EXPECT_EQ(client.request("GET", path).status, 404);
}

TEST_F(FakeApiServerTest, DiscoveryAnswersServedGroupVersionsOnly) {
  HttpTestClient client(server_.port());
  for (const char* path : {"/api/v1", "/apis/networking.k8s.io/v1", "/apis/discovery.k8s.io/v1",
                           "/apis/coordination.k8s.io/v1", "/apis/apps/v1"}) {
    const TestResponse response = client.request("GET", path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(parse_json(response.body).at("kind").as_string(), "APIResourceList");
  }
  const auto slices = parse_json(client.request("GET", "/apis/discovery.k8s.io/v1").body);
  EXPECT_EQ(slices.at("groupVersion").as_string(), "discovery.k8s.io/v1");
  EXPECT_EQ(slices.at("resources").at(0).at("name").as_string(), "endpointslices");
  EXPECT_EQ(client.request("GET", "/apis/example.com/v1").status, 404);
  EXPECT_EQ(client.request("GET", "/apis/metrics.k8s.io/v1beta1").status, 404)
      << "optional APIs are served only when a test asks";

  server_.serve_group_version("/apis/discovery.k8s.io/v1", false);
  EXPECT_EQ(client.request("GET", "/apis/discovery.k8s.io/v1").status, 404);
  EXPECT_EQ(client.request("GET", "/apis/discovery.k8s.io/v1/endpointslices").status, 404);
  server_.serve_group_version("/apis/example.com/v1", true);
  EXPECT_EQ(client.request("GET", "/apis/example.com/v1").status, 200);
  EXPECT_EQ(client.request("GET", "/apis/example.com/v1/widgets").status, 200);
  const auto groups = parse_json(client.request("GET", "/apis").body);
  EXPECT_EQ(groups.at("kind").as_string(), "APIGroupList");
  // networking, coordination, apps and example.com: discovery was switched off.
  EXPECT_EQ(groups.at("groups").size(), 4u);
}

TEST_F(FakeApiServerTest, RecordsEveryRequest) {
  HttpTestClient client(server_.port());
  client.request("GET", "/api/v1/services?limit=1", {}, "Authorization: Bearer abc");
  client.request("PATCH", "/api/v1/namespaces/ns/services/x", R"({"a":1})", kMergePatch);
  const std::vector<RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/api/v1/services?limit=1");
  EXPECT_EQ(requests[0].authorization, "Bearer abc");
  EXPECT_EQ(requests[1].method, "PATCH");
  EXPECT_EQ(requests[1].content_type, "application/merge-patch+json");
  EXPECT_EQ(requests[1].body, R"({"a":1})");
  server_.clear_requests();
  EXPECT_TRUE(server_.requests().empty());
}

}  // namespace
}  // namespace portico::testing
