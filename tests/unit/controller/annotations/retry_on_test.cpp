#include "controller/annotations/retry_on.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(RetryOnTest, ListsOfConditions) {
  const struct {
    const char* text;
    RetryConditions expected;
  } cases[] = {
      {"connect-failure", {true, false, {}}},
      {"reset", {false, true, {}}},
      {"503", {false, false, {503}}},
      {"connect-failure,reset,502,503,504", {true, true, {502, 503, 504}}},
      {"504, connect-failure , 502", {true, false, {502, 504}}},  // sorted
      {"503,503,reset,reset", {false, true, {503}}},              // each once
      {"500,599", {false, false, {500, 599}}},                    // any 5xx
      {" reset\n", {false, true, {}}},
  };
  for (const auto& test : cases) {
    const Parsed<RetryConditions> parsed = parse_retry_on({{kRetryOnAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(RetryOnTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_retry_on({}).outcome, Outcome::kAbsent);
}

TEST(RetryOnTest, AnythingElseIsInvalidAndNamed) {
  for (const char* bad :
       {"", ",", "reset,", ",reset", "reset,,503", "404", "429", "600", "5xx", "50", "5030",
        "error", "connect_failure", "Reset", "timeout", "reset 503", "reset;503", "http_503"}) {
    const Parsed<RetryConditions> parsed = parse_retry_on({{kRetryOnAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kRetryOnAnnotation), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
}

TEST(RetryOnTest, TextSpellsTheConditionsAsTheAnnotationDoes) {
  EXPECT_EQ(retry_conditions_text({true, true, {}}), "connect-failure, reset");
  EXPECT_EQ(retry_conditions_text({false, true, {502, 503}}), "reset, 502, 503");
  EXPECT_EQ(retry_conditions_text({}), "none");
}

TEST(RetryOnTest, AddStatusKeepsOrderAndUniqueness) {
  RetryConditions conditions;
  for (const uint16_t status : {504, 502, 504, 503, 500}) add_retry_status(conditions, status);
  EXPECT_EQ(conditions.statuses, (std::vector<uint16_t>{500, 502, 503, 504}));
}

}  // namespace
}  // namespace portico::controller::annotations
