#include "controller/annotations/service_annotations.h"

#include <string>

#include <gtest/gtest.h>

#include "controller/annotations/circuit_breaker_annotations.h"
#include "controller/annotations/health_check_annotations.h"
#include "controller/annotations/outlier_annotations.h"

namespace portico::controller::annotations {
namespace {

TEST(ServiceAnnotationsTest, GathersTheThreeSettingsAndEveryProblem) {
  const Annotations annotations = {{kHealthCheckAnnotation, "tcp"},
                                   {kHealthCheckRiseAnnotation, "zero"},
                                   {kOutlierConsecutiveFailuresAnnotation, "9"},
                                   {kOutlierMaxEjectionPercentAnnotation, "200"},
                                   {kMaxRequestsAnnotation, "64"},
                                   {kMaxConnectionsAnnotation, "lots"}};
  const ServicePolicy policy = service_policy_from(annotations);
  EXPECT_EQ(policy.health_check, health_check_from(annotations).value);
  EXPECT_TRUE(policy.health_check.enabled);
  EXPECT_EQ(policy.outlier_detection, outlier_detection_from(annotations).value);
  EXPECT_EQ(policy.outlier_detection.consecutive_failures, 9u);
  EXPECT_EQ(policy.circuit_breaker, circuit_breaker_from(annotations).value);
  EXPECT_EQ(policy.circuit_breaker.max_requests, 64u);
  ASSERT_EQ(policy.problems.size(), 3u);
  EXPECT_NE(policy.problems[0].find(kHealthCheckRiseAnnotation), std::string::npos);
  EXPECT_NE(policy.problems[1].find(kOutlierMaxEjectionPercentAnnotation), std::string::npos);
  EXPECT_NE(policy.problems[2].find(kMaxConnectionsAnnotation), std::string::npos);
}

TEST(ServiceAnnotationsTest, NoAnnotationsGiveTheDefaults) {
  const ServicePolicy policy = service_policy_from({{"unrelated", "x"}});
  EXPECT_EQ(policy.health_check, proxy::ActiveHealthCheck{});
  EXPECT_EQ(policy.outlier_detection, proxy::OutlierDetection{});
  EXPECT_EQ(policy.circuit_breaker, proxy::CircuitBreaker{});
  EXPECT_TRUE(policy.problems.empty());
}

}  // namespace
}  // namespace portico::controller::annotations
