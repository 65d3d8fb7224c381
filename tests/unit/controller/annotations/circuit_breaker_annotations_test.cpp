#include "controller/annotations/circuit_breaker_annotations.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

using proxy::CircuitBreaker;

TEST(CircuitBreakerAnnotationsTest, LimitsWithinBounds) {
  EXPECT_EQ(circuit_breaker_from({}).value, CircuitBreaker{});
  const Annotated<CircuitBreaker> result =
      circuit_breaker_from({{kMaxConnectionsAnnotation, "100"},
                            {kMaxPendingRequestsAnnotation, "0"},
                            {kMaxRequestsAnnotation, "1000000"}});
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
  EXPECT_EQ(result.value, (CircuitBreaker{100, 0, 1'000'000}));
  EXPECT_EQ(circuit_breaker_from({{kMaxPendingRequestsAnnotation, "7"}}).value,
            (CircuitBreaker{0, 7, 0}));
}

TEST(CircuitBreakerAnnotationsTest, AnInvalidLimitStaysOffAndTheOthersApply) {
  for (const char* annotation :
       {kMaxConnectionsAnnotation, kMaxPendingRequestsAnnotation, kMaxRequestsAnnotation}) {
    for (const char* bad : {"1000001", "-1", "1k", "", "1e6"}) {
      Annotations annotations = {{kMaxConnectionsAnnotation, "10"},
                                 {kMaxPendingRequestsAnnotation, "20"},
                                 {kMaxRequestsAnnotation, "30"}};
      annotations[annotation] = bad;
      const Annotated<CircuitBreaker> result = circuit_breaker_from(annotations);
      ASSERT_EQ(result.problems.size(), 1u) << annotation << " " << bad;
      EXPECT_NE(result.problems[0].find(annotation), std::string::npos) << result.problems[0];
      EXPECT_NE(result.problems[0].find(quote_value(bad)), std::string::npos) << result.problems[0];
      EXPECT_NE(result.problems[0].find("(no limit)"), std::string::npos) << result.problems[0];
      const std::string name = annotation;
      EXPECT_EQ(result.value, (CircuitBreaker{name == kMaxConnectionsAnnotation ? 0u : 10u,
                                              name == kMaxPendingRequestsAnnotation ? 0u : 20u,
                                              name == kMaxRequestsAnnotation ? 0u : 30u}))
          << annotation << " " << bad;
    }
  }
}

}  // namespace
}  // namespace portico::controller::annotations
