#include "controller/annotations/duration.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

using std::chrono::milliseconds;

constexpr char kName[] = "portico.io/some-duration";

Parsed<milliseconds> parse(const char* text, milliseconds min, milliseconds max) {
  return parse_duration({{kName, text}}, kName, min, max);
}

TEST(DurationTest, UnitsAndBounds) {
  const struct {
    const char* text;
    milliseconds expected;
  } cases[] = {
      {"100ms", milliseconds(100)},  // the lower bound itself
      {"5s", milliseconds(5'000)},        {"2m", milliseconds(120'000)},
      {"60m", milliseconds(3'600'000)},  // the upper bound itself
      {"3600s", milliseconds(3'600'000)}, {"0001s", milliseconds(1'000)},
      {"\t250ms \n", milliseconds(250)},
  };
  for (const auto& test : cases) {
    const Parsed<milliseconds> parsed = parse(test.text, milliseconds(100), std::chrono::hours(1));
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(DurationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_duration({{"other", "5s"}}, kName, milliseconds(0), milliseconds(10)).outcome,
            Outcome::kAbsent);
}

TEST(DurationTest, OutOfBoundsIsInvalidAndSaysTheBounds) {
  for (const char* bad : {"99ms", "0s", "3600001ms", "61m", "3601s", "99999999999999999999ms"}) {
    const Parsed<milliseconds> parsed = parse(bad, milliseconds(100), std::chrono::hours(1));
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kName), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find("from 100ms to 60m"), std::string::npos) << parsed.problem;
  }
  const Parsed<milliseconds> above = parse("2s", milliseconds(0), milliseconds(1'000));
  EXPECT_EQ(above.outcome, Outcome::kInvalid);
  EXPECT_NE(above.problem.find("at most 1s"), std::string::npos) << above.problem;
}

TEST(DurationTest, MalformedIsInvalid) {
  for (const char* bad : {"", "5", "s", "ms", "-5s", "+5s", "5.5s", "5 s", "1m30s", "5S", "5sec",
                          "1h", "5s5", "0x10s", "5s\n5s"}) {
    const Parsed<milliseconds> parsed = parse(bad, milliseconds(0), std::chrono::hours(1));
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find("a whole number and a unit"), std::string::npos)
        << parsed.problem;
  }
}

TEST(DurationTest, TextUsesTheLargestExactUnit) {
  EXPECT_EQ(duration_text(milliseconds(0)), "0ms");
  EXPECT_EQ(duration_text(milliseconds(1'500)), "1500ms");
  EXPECT_EQ(duration_text(milliseconds(30'000)), "30s");
  EXPECT_EQ(duration_text(milliseconds(90'000)), "90s");
  EXPECT_EQ(duration_text(std::chrono::hours(1)), "60m");
}

}  // namespace
}  // namespace portico::controller::annotations
