#include "controller/annotations/health_check_status.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(HealthCheckStatusTest, OneCodeOrARange) {
  const struct {
    const char* text;
    StatusRange expected;
  } cases[] = {
      {"200", {200, 200}},     {"200-399", {200, 399}},    {"100-599", {100, 599}},
      {"204-204", {204, 204}}, {" 200-299\n", {200, 299}},
  };
  for (const auto& test : cases) {
    const Parsed<StatusRange> parsed =
        parse_health_check_status({{kHealthCheckStatusAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(HealthCheckStatusTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_health_check_status({}).outcome, Outcome::kAbsent);
}

TEST(HealthCheckStatusTest, AnythingElseIsInvalidAndNamed) {
  for (const char* bad : {"", "99", "099", "600", "2000", "399-200", "200-", "-200", "200-300-400",
                          "200 - 399", "200,300", "2xx", "ok", "+200", "200-600", "1e2"}) {
    const Parsed<StatusRange> parsed =
        parse_health_check_status({{kHealthCheckStatusAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kHealthCheckStatusAnnotation), std::string::npos)
        << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
