#include "controller/annotations/nginx_load_balance.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(NginxLoadBalanceAnnotationTest, MapsRoundRobinAndEwma) {
  const struct {
    const char* text;
    proxy::Algorithm expected;
  } cases[] = {
      {"round_robin", proxy::Algorithm::kRoundRobin},
      {"ewma", proxy::Algorithm::kLeastResponseTime},
      {"ewma\n", proxy::Algorithm::kLeastResponseTime},
  };
  for (const auto& test : cases) {
    const Parsed<proxy::Algorithm> parsed =
        parse_nginx_load_balance({{kNginxLoadBalanceAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value, test.expected) << test.text;
  }
}

TEST(NginxLoadBalanceAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_nginx_load_balance({}).outcome, Outcome::kAbsent);
  EXPECT_EQ(parse_nginx_load_balance({{"portico.io/load-balance", "random"}}).outcome,
            Outcome::kAbsent);
}

TEST(NginxLoadBalanceAnnotationTest, OtherValuesAreIgnoredWithTheirNameAndValue) {
  for (const char* other : {"chash", "chashsubset", "sticky_balanced", "sticky_persistent",
                            "round-robin", "least-connections", "", "EWMA"}) {
    const Parsed<proxy::Algorithm> parsed =
        parse_nginx_load_balance({{kNginxLoadBalanceAnnotation, other}});
    EXPECT_EQ(parsed.outcome, Outcome::kIgnored) << other;
    EXPECT_NE(parsed.problem.find(kNginxLoadBalanceAnnotation), std::string::npos)
        << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(other)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
