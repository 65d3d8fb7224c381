#include "controller/annotations/nginx_upstream_hash_by.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

using proxy::HashSource;

TEST(NginxUpstreamHashByAnnotationTest, MapsSingleVariables) {
  const struct {
    const char* text;
    HashKey expected;
  } cases[] = {
      {"$remote_addr", {HashSource::kClientIp, ""}},
      {"$binary_remote_addr", {HashSource::kClientIp, ""}},
      {"${remote_addr}", {HashSource::kClientIp, ""}},
      {"$request_uri", {HashSource::kPath, ""}},
      {"$uri", {HashSource::kPath, ""}},
      {"${uri}", {HashSource::kPath, ""}},
      {"$http_x_user_id", {HashSource::kHeader, "x-user-id"}},
      {"$http_X_Api_Key", {HashSource::kHeader, "x-api-key"}},
      {"${http_authorization}", {HashSource::kHeader, "authorization"}},
      {"$cookie_session_id", {HashSource::kCookie, "session_id"}},
      {"$cookie_JSESSIONID", {HashSource::kCookie, "JSESSIONID"}},
      {" $remote_addr\n", {HashSource::kClientIp, ""}},
  };
  for (const auto& test : cases) {
    const Parsed<HashKey> parsed =
        parse_nginx_upstream_hash_by({{kNginxUpstreamHashByAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(NginxUpstreamHashByAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_nginx_upstream_hash_by({}).outcome, Outcome::kAbsent);
  EXPECT_EQ(parse_nginx_upstream_hash_by({{"portico.io/hash-by", "path"}}).outcome,
            Outcome::kAbsent);
}

TEST(NginxUpstreamHashByAnnotationTest, ExpressionsAreIgnoredWithTheirNameAndValue) {
  for (const char* expression :
       {"$request_uri$host", "${request_uri}-text-value", "$host", "$arg_id", "$http_", "$cookie_",
        "remote_addr", "$remote_addr;", "${remote_addr", "${}", "$", "", "$http_x-user", "text",
        "$uri\n$host"}) {
    const Parsed<HashKey> parsed =
        parse_nginx_upstream_hash_by({{kNginxUpstreamHashByAnnotation, expression}});
    EXPECT_EQ(parsed.outcome, Outcome::kIgnored) << expression;
    EXPECT_NE(parsed.problem.find(kNginxUpstreamHashByAnnotation), std::string::npos)
        << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(expression)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
