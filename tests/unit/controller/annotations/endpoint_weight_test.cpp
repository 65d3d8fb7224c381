#include "controller/annotations/endpoint_weight.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

Parsed<uint32_t> weight(const std::string& text) {
  return parse_endpoint_weight({{"app", "web"}, {kEndpointWeightAnnotation, text}});
}

TEST(EndpointWeightAnnotationTest, WholeNumbersFromZeroToOneThousand) {
  const struct {
    const char* text;
    uint32_t expected;
  } cases[] = {{"0", 0}, {"1", 1}, {"3", 3}, {"1000", 1000}, {"007", 7}, {" 5\n", 5}};
  for (const auto& test : cases) {
    const Parsed<uint32_t> parsed = weight(test.text);
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(EndpointWeightAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_endpoint_weight({{"app", "web"}}).outcome, Outcome::kAbsent);
}

TEST(EndpointWeightAnnotationTest, AnythingElseIsInvalidAndQuoted) {
  for (const char* bad :
       {"1001", "-1", "+2", "1.5", "2e2", "0x3", "three", "", "1 0", "99999999999999999999"}) {
    const Parsed<uint32_t> parsed = weight(bad);
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kEndpointWeightAnnotation), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find("from 0 to 1000"), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
