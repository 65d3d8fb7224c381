#include "controller/annotations/whole_number.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

constexpr char kName[] = "portico.io/some-count";

TEST(WholeNumberTest, WithinBounds) {
  const struct {
    const char* text;
    uint32_t expected;
  } cases[] = {{"1", 1}, {"100", 100}, {"42", 42}, {"007", 7}, {" 9\n", 9}};
  for (const auto& test : cases) {
    const Parsed<uint32_t> parsed = parse_whole_number({{kName, test.text}}, kName, 1, 100);
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
  EXPECT_EQ(parse_whole_number({{kName, "0"}}, kName, 0, 0).value, 0u);
  EXPECT_EQ(parse_whole_number({{kName, "1000000"}}, kName, 0, 1'000'000).value, 1'000'000u);
}

TEST(WholeNumberTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_whole_number({}, kName, 0, 1).outcome, Outcome::kAbsent);
}

TEST(WholeNumberTest, OutOfBoundsOrMalformedIsInvalidAndNamed) {
  for (const char* bad : {"0", "101", "4294967296", "99999999999999999999", "", "-1", "+1", "1.0",
                          "1e2", "0x10", "ten", "1 0", "5%", "1\n2"}) {
    const Parsed<uint32_t> parsed = parse_whole_number({{kName, bad}}, kName, 1, 100);
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kName), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find("from 1 to 100"), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
