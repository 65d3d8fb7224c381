#include "controller/annotations/outlier_annotations.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

using proxy::OutlierDetection;
using std::chrono::milliseconds;

OutlierDetection outlier(uint32_t failures, milliseconds base, milliseconds max, uint32_t percent) {
  return OutlierDetection{failures, base, max, percent};
}

const OutlierDetection kDefault{};
const uint32_t kDefaultFailures = kDefault.consecutive_failures;

TEST(OutlierAnnotationsTest, ValuesWithinBounds) {
  const milliseconds kMax = kDefault.max_ejection;
  const struct {
    const char* name;
    Annotations annotations;
    OutlierDetection expected;
  } cases[] = {
      {"nothing set", {}, OutlierDetection{}},
      {"everything",
       {{kOutlierConsecutiveFailuresAnnotation, "3"},
        {kOutlierBaseEjectionAnnotation, "10s"},
        {kOutlierMaxEjectionPercentAnnotation, "25"}},
       outlier(3, milliseconds(10'000), kMax, 25)},
      {"off",
       {{kOutlierConsecutiveFailuresAnnotation, "0"}},
       outlier(0, milliseconds(30'000), kMax, 50)},
      {"upper bounds",
       {{kOutlierConsecutiveFailuresAnnotation, "1000"},
        {kOutlierMaxEjectionPercentAnnotation, "100"}},
       outlier(1000, milliseconds(30'000), kMax, 100)},
      {"lower bounds",
       {{kOutlierBaseEjectionAnnotation, "100ms"}, {kOutlierMaxEjectionPercentAnnotation, "0"}},
       outlier(kDefaultFailures, milliseconds(100), kMax, 0)},
      // A base ejection longer than the cap raises the cap: ejections never shrink.
      {"long base ejection",
       {{kOutlierBaseEjectionAnnotation, "60m"}},
       outlier(kDefaultFailures, std::chrono::hours(1), std::chrono::hours(1), 50)},
  };
  for (const auto& test : cases) {
    const Annotated<OutlierDetection> result = outlier_detection_from(test.annotations);
    EXPECT_EQ(result.value, test.expected) << test.name;
    EXPECT_TRUE(result.problems.empty()) << test.name << ": " << result.problems.front();
  }
}

TEST(OutlierAnnotationsTest, AnInvalidValueKeepsThatSettingsDefaultOnly) {
  const struct {
    const char* annotation;
    const char* value;
    std::string kept;
  } cases[] = {
      {kOutlierConsecutiveFailuresAnnotation, "1001", "(" + std::to_string(kDefaultFailures) + ")"},
      {kOutlierConsecutiveFailuresAnnotation, "-1", "(" + std::to_string(kDefaultFailures) + ")"},
      {kOutlierBaseEjectionAnnotation, "61m", "(30s)"},
      {kOutlierBaseEjectionAnnotation, "10", "(30s)"},
      {kOutlierBaseEjectionAnnotation, "50ms", "(30s)"},
      {kOutlierMaxEjectionPercentAnnotation, "101", "(50)"},
      {kOutlierMaxEjectionPercentAnnotation, "50%", "(50)"},
  };
  for (const auto& test : cases) {
    Annotations annotations = {{kOutlierConsecutiveFailuresAnnotation, "7"},
                               {kOutlierBaseEjectionAnnotation, "1m"},
                               {kOutlierMaxEjectionPercentAnnotation, "20"}};
    annotations[test.annotation] = test.value;
    const Annotated<OutlierDetection> result = outlier_detection_from(annotations);
    ASSERT_EQ(result.problems.size(), 1u) << test.annotation;
    EXPECT_NE(result.problems[0].find(test.annotation), std::string::npos) << result.problems[0];
    EXPECT_NE(result.problems[0].find(quote_value(test.value)), std::string::npos)
        << result.problems[0];
    EXPECT_NE(result.problems[0].find(test.kept), std::string::npos) << result.problems[0];
    const std::string name = test.annotation;
    const OutlierDetection expected =
        outlier(name == kOutlierConsecutiveFailuresAnnotation ? kDefaultFailures : 7,
                milliseconds(name == kOutlierBaseEjectionAnnotation ? 30'000 : 60'000),
                kDefault.max_ejection, name == kOutlierMaxEjectionPercentAnnotation ? 50 : 20);
    EXPECT_EQ(result.value, expected) << test.annotation << " " << test.value;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
