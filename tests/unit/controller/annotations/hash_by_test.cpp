#include "controller/annotations/hash_by.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

using proxy::HashSource;

TEST(HashByAnnotationTest, ValidKeys) {
  const struct {
    const char* text;
    HashKey expected;
  } cases[] = {
      {"client-ip", {HashSource::kClientIp, ""}},
      {"path", {HashSource::kPath, ""}},
      {"header:X-User-Id", {HashSource::kHeader, "x-user-id"}},  // header names fold case
      {"header:x-user-id", {HashSource::kHeader, "x-user-id"}},
      {"header:X_Tenant", {HashSource::kHeader, "x_tenant"}},
      {"cookie:Session_ID", {HashSource::kCookie, "Session_ID"}},  // cookie names do not
      {"cookie:a.b~c", {HashSource::kCookie, "a.b~c"}},
      {" path\n", {HashSource::kPath, ""}},
  };
  for (const auto& test : cases) {
    const Parsed<HashKey> parsed = parse_hash_by({{kHashByAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(HashByAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_hash_by({}).outcome, Outcome::kAbsent);
  EXPECT_EQ(parse_hash_by({{"nginx.ingress.kubernetes.io/upstream-hash-by", "$uri"}}).outcome,
            Outcome::kAbsent);
}

TEST(HashByAnnotationTest, InvalidKeysAreNamed) {
  for (const char* bad :
       {"", "ip", "client_ip", "Path", "Header:X", "header:", "cookie:", "header: X-User",
        "header:X User", "header:X:Y", "header:a,b", "cookie:a=b", "cookie:a;b", "cookie:\"a\"",
        "cookie:caf\xc3\xa9", "query:id", "$remote_addr", "header:X\nY"}) {
    const Parsed<HashKey> parsed = parse_hash_by({{kHashByAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kHashByAnnotation), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
