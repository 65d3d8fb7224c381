#include "controller/annotations/health_check_path.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(HealthCheckPathTest, AbsolutePathsOfPathCharacters) {
  for (const char* path : {"/", "/healthz", "/ready/v1", "/a-b_c.d~e", "/%41%2f%2F", "/x:y@z",
                           "/!$&'()*+,;=", "//double", "/UPPER/lower/09"}) {
    const Parsed<std::string> parsed =
        parse_health_check_path({{kHealthCheckPathAnnotation, path}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << path;
    EXPECT_EQ(parsed.value, path);
  }
  EXPECT_EQ(parse_health_check_path({{kHealthCheckPathAnnotation, " /live\n"}}).value, "/live");
}

TEST(HealthCheckPathTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_health_check_path({}).outcome, Outcome::kAbsent);
}

TEST(HealthCheckPathTest, AnythingElseIsInvalidAndNamed) {
  // Relative, a query or fragment, characters that could split a request line, broken
  // escapes, bytes outside ASCII.
  for (const char* bad : {"",
                          "healthz",
                          "http://host/healthz",
                          "/health?full=1",
                          "/a#b",
                          "/a b",
                          "/a\r\nHost: evil",
                          "/a\tb",
                          "/%",
                          "/%4",
                          "/%zz",
                          "/%4g",
                          "/a\"b",
                          "/a<b>",
                          "/a\\b",
                          "/a[b]",
                          "/caf\xc3\xa9",
                          "/a{b}",
                          "/a|b",
                          "/a^b",
                          "/a`b"}) {
    const Parsed<std::string> parsed = parse_health_check_path({{kHealthCheckPathAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kHealthCheckPathAnnotation), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
