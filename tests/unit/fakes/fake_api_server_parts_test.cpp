// The fake API server's pure parts: URL parsing, JSON merge patch, continue tokens.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "tests/fakes/fake_api_server/api_path.h"
#include "tests/fakes/fake_api_server/merge_patch.h"
#include "tests/fakes/fake_api_server/object_store.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"

namespace portico::testing {
namespace {

std::string describe(std::string_view path) {
  const std::optional<ApiPath> parsed = parse_api_path(path);
  if (!parsed) return "none";
  return parsed->group_version + " " + parsed->resource + " ns=" + parsed->namespace_ +
         " name=" + parsed->name + " sub=" + parsed->subresource;
}

TEST(ApiPathTest, SplitsGroupVersionResourceNamespaceNameAndSubresource) {
  EXPECT_EQ(describe("/api/v1"), "/api/v1  ns= name= sub=");
  EXPECT_EQ(describe("/api/v1/services"), "/api/v1 /api/v1/services ns= name= sub=");
  EXPECT_EQ(describe("/api/v1/namespaces/d/services/web/status"),
            "/api/v1 /api/v1/services ns=d name=web sub=status");
  EXPECT_EQ(describe("/apis/networking.k8s.io/v1/namespaces/d/ingresses"),
            "/apis/networking.k8s.io/v1 /apis/networking.k8s.io/v1/ingresses ns=d name= sub=");
  EXPECT_EQ(describe("/apis/networking.k8s.io/v1/ingressclasses/portico"),
            "/apis/networking.k8s.io/v1 /apis/networking.k8s.io/v1/ingressclasses ns= name=portico "
            "sub=");
  // Namespace objects themselves.
  EXPECT_EQ(describe("/api/v1/namespaces/d"), "/api/v1 /api/v1/namespaces ns= name=d sub=");
  EXPECT_EQ(describe("/api/v1/namespaces/d/status"),
            "/api/v1 /api/v1/namespaces ns= name=d sub=status");
  EXPECT_EQ(describe("/apis/networking.k8s.io"), "none");
  EXPECT_EQ(describe("/healthz"), "none");
  EXPECT_EQ(describe("/api/v1/namespaces/d/services/web/status/extra"), "none");
}

TEST(ApiPathTest, DecodesTheQuery) {
  const RequestTarget target =
      split_target("/api/v1/secrets?fieldSelector=type%3Da%2Fb&watch&x=a+b");
  EXPECT_EQ(target.path, "/api/v1/secrets");
  EXPECT_EQ(target.query.at("fieldSelector"), "type=a/b");
  EXPECT_EQ(target.query.at("watch"), "");
  EXPECT_EQ(target.query.at("x"), "a b");
  EXPECT_EQ(api_version_of("/apis/discovery.k8s.io/v1/endpointslices"), "discovery.k8s.io/v1");
  EXPECT_EQ(api_version_of("/api/v1/services"), "v1");
}

// The examples of RFC 7386, appendix A.
TEST(MergePatchTest, FollowsRfc7386) {
  const std::vector<std::array<const char*, 3>> cases = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"a":1,"e":null})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& [target, patch, expected] : cases) {
    web::json::value value = parse_json(target);
    apply_merge_patch(value, parse_json(patch));
    EXPECT_EQ(value, parse_json(expected)) << target << " + " << patch;
  }
}

TEST(ContinueTokenTest, RoundTripsAndRejectsGarbage) {
  const ContinueToken token{42, "kube-system", "web.v2"};
  const std::string encoded = token.encode();
  EXPECT_EQ(encoded.find_first_not_of("0123456789abcdef"), std::string::npos);
  const std::optional<ContinueToken> decoded = ContinueToken::decode(encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->resource_version, 42u);
  EXPECT_EQ(decoded->namespace_, "kube-system");
  EXPECT_EQ(decoded->name, "web.v2");
  EXPECT_FALSE(ContinueToken::decode("abc").has_value());
  EXPECT_FALSE(ContinueToken::decode("zz").has_value());
  EXPECT_FALSE(ContinueToken::decode(ContinueToken{1, "a", "b"}.encode().substr(2)).has_value());
}

}  // namespace
}  // namespace portico::testing
