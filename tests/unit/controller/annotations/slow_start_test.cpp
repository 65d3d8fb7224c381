#include "controller/annotations/slow_start.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

using std::chrono::milliseconds;

TEST(SlowStartAnnotationTest, DurationsWithinBounds) {
  const struct {
    const char* text;
    milliseconds expected;
  } cases[] = {
      {"30s", milliseconds(30'000)},   {"500ms", milliseconds(500)},
      {"2m", milliseconds(120'000)},   {"0s", milliseconds(0)},
      {"0ms", milliseconds(0)},        {"10m", milliseconds(600'000)},
      {"600s", milliseconds(600'000)}, {"600000ms", milliseconds(600'000)},
      {"007s", milliseconds(7'000)},   {" 1s\n", milliseconds(1'000)},
  };
  for (const auto& test : cases) {
    const Parsed<milliseconds> parsed = parse_slow_start({{kSlowStartAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(SlowStartAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_slow_start({}).outcome, Outcome::kAbsent);
}

TEST(SlowStartAnnotationTest, OutOfBoundsOrMalformedIsInvalidAndNamed) {
  for (const char* bad : {"601s", "11m", "600001ms", "1h", "0h", "30", "", "s", "-1s", "+1s",
                          "1.5s", "30 s", "1m30s", "30S", "99999999999999999999ms", "10m\n1s"}) {
    const Parsed<milliseconds> parsed = parse_slow_start({{kSlowStartAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kSlowStartAnnotation), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
