#include "controller/annotations/load_balance.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(LoadBalanceAnnotationTest, EveryAlgorithmNameIsAccepted) {
  // By the enum (kResourceBased is its last value), so a new algorithm is covered too.
  for (int i = 0; i <= static_cast<int>(proxy::Algorithm::kResourceBased); ++i) {
    const auto algorithm = static_cast<proxy::Algorithm>(i);
    const std::string name(proxy::algorithm_name(algorithm));
    const Parsed<proxy::Algorithm> parsed = parse_load_balance({{kLoadBalanceAnnotation, name}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << name;
    EXPECT_EQ(parsed.value, algorithm) << name;
    EXPECT_TRUE(parsed.problem.empty()) << name;
  }
  EXPECT_EQ(parse_load_balance({{kLoadBalanceAnnotation, " ip-hash\n"}}).value,
            proxy::Algorithm::kIpHash);
}

TEST(LoadBalanceAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_load_balance({}).outcome, Outcome::kAbsent);
  // ingress-nginx's annotation is another parser's business.
  EXPECT_EQ(parse_load_balance({{"nginx.ingress.kubernetes.io/load-balance", "ewma"}}).outcome,
            Outcome::kAbsent);
}

TEST(LoadBalanceAnnotationTest, AnythingElseIsInvalidAndNamed) {
  for (const char* bad :
       {"", "round_robin", "ewma", "Round-Robin", "least connections", "hash", "ip-hash,random"}) {
    const Parsed<proxy::Algorithm> parsed = parse_load_balance({{kLoadBalanceAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kLoadBalanceAnnotation), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
    EXPECT_NE(parsed.problem.find("least-response-time"), std::string::npos)
        << "the message lists the accepted names: " << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
