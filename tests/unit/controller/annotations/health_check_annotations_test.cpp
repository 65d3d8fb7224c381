#include "controller/annotations/health_check_annotations.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "controller/annotations/duration.h"
#include "controller/annotations/health_check_path.h"
#include "controller/annotations/health_check_status.h"

namespace portico::controller::annotations {
namespace {

using proxy::ActiveHealthCheck;
using std::chrono::milliseconds;
using Kind = ActiveHealthCheck::Kind;

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const std::string& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

// The check an "http" Service gets when it sets nothing else.
ActiveHealthCheck http_defaults() {
  ActiveHealthCheck check;
  check.enabled = true;
  return check;
}

TEST(HealthCheckAnnotationsTest, NoKindMeansNoActiveChecks) {
  const Annotated<ActiveHealthCheck> result = health_check_from({});
  EXPECT_FALSE(result.value.enabled);
  EXPECT_EQ(result.value, ActiveHealthCheck{});
  EXPECT_TRUE(result.problems.empty());
}

TEST(HealthCheckAnnotationsTest, EverySettingLands) {
  const Annotated<ActiveHealthCheck> result =
      health_check_from({{kHealthCheckAnnotation, "http"},
                         {kHealthCheckPathAnnotation, "/ready"},
                         {kHealthCheckStatusAnnotation, "200"},
                         {kHealthCheckIntervalAnnotation, "2s"},
                         {kHealthCheckTimeoutAnnotation, "500ms"},
                         {kHealthCheckFallAnnotation, "4"},
                         {kHealthCheckRiseAnnotation, "1"}});
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
  ActiveHealthCheck expected = http_defaults();
  expected.path = "/ready";
  expected.status_min = 200;
  expected.status_max = 200;
  expected.interval = milliseconds(2'000);
  expected.timeout = milliseconds(500);
  expected.fall = 4;
  expected.rise = 1;
  EXPECT_EQ(result.value, expected);
}

TEST(HealthCheckAnnotationsTest, KindAloneTakesTheDefaults) {
  const Annotated<ActiveHealthCheck> http = health_check_from({{kHealthCheckAnnotation, "http"}});
  EXPECT_EQ(http.value, http_defaults());
  const Annotated<ActiveHealthCheck> tcp = health_check_from({{kHealthCheckAnnotation, "tcp"}});
  ActiveHealthCheck expected = http_defaults();
  expected.kind = Kind::kTcp;
  EXPECT_EQ(tcp.value, expected);
  EXPECT_TRUE(tcp.problems.empty());
}

TEST(HealthCheckAnnotationsTest, BoundsAreInclusive) {
  const Annotated<ActiveHealthCheck> low =
      health_check_from({{kHealthCheckAnnotation, "tcp"},
                         {kHealthCheckIntervalAnnotation, "100ms"},
                         {kHealthCheckTimeoutAnnotation, "10ms"},
                         {kHealthCheckFallAnnotation, "1"},
                         {kHealthCheckRiseAnnotation, "1"}});
  EXPECT_TRUE(low.problems.empty()) << low.problems.front();
  EXPECT_EQ(low.value.interval, milliseconds(100));
  EXPECT_EQ(low.value.timeout, milliseconds(10));
  const Annotated<ActiveHealthCheck> high = health_check_from(
      {{kHealthCheckAnnotation, "tcp"},
       {kHealthCheckIntervalAnnotation, "60m"},
       {kHealthCheckTimeoutAnnotation, "60m"},  // the interval is the timeout's bound
       {kHealthCheckFallAnnotation, "100"},
       {kHealthCheckRiseAnnotation, "100"}});
  EXPECT_TRUE(high.problems.empty()) << high.problems.front();
  EXPECT_EQ(high.value.interval, std::chrono::hours(1));
  EXPECT_EQ(high.value.timeout, std::chrono::hours(1));
  EXPECT_EQ(high.value.fall, 100u);
  EXPECT_EQ(high.value.rise, 100u);
}

TEST(HealthCheckAnnotationsTest, AnUnsetTimeoutNeverOutlastsTheInterval) {
  const Annotated<ActiveHealthCheck> result = health_check_from(
      {{kHealthCheckAnnotation, "tcp"}, {kHealthCheckIntervalAnnotation, "300ms"}});
  EXPECT_EQ(result.value.timeout, milliseconds(300));
  EXPECT_TRUE(result.problems.empty());
}

TEST(HealthCheckAnnotationsTest, AnInvalidValueKeepsThatSettingsDefaultOnly) {
  const ActiveHealthCheck defaults = http_defaults();
  const std::string status =
      "(" + std::to_string(defaults.status_min) + "-" + std::to_string(defaults.status_max) + ")";
  const std::string interval = "(" + duration_text(defaults.interval) + ")";
  // With the 2s interval below, an unset timeout is at most 2s.
  const milliseconds default_timeout = std::min(defaults.timeout, milliseconds(2'000));
  const std::string timeout = "(" + duration_text(default_timeout) + ")";
  const std::string fall = "(" + std::to_string(defaults.fall) + ")";
  const std::string rise = "(" + std::to_string(defaults.rise) + ")";
  const struct {
    const char* annotation;
    const char* value;
    std::string kept;  // the default the message names
  } cases[] = {
      {kHealthCheckPathAnnotation, "healthz", "(" + defaults.path + ")"},
      {kHealthCheckStatusAnnotation, "2xx", status},
      {kHealthCheckIntervalAnnotation, "50ms", interval},
      {kHealthCheckIntervalAnnotation, "2h", interval},
      {kHealthCheckTimeoutAnnotation, "5ms", timeout},
      {kHealthCheckTimeoutAnnotation, "3s", timeout},  // longer than the 2s interval
      {kHealthCheckFallAnnotation, "0", fall},
      {kHealthCheckFallAnnotation, "101", fall},
      {kHealthCheckRiseAnnotation, "-1", rise},
  };
  for (const auto& test : cases) {
    Annotations annotations = {
        {kHealthCheckAnnotation, "http"},          {kHealthCheckPathAnnotation, "/ready"},
        {kHealthCheckStatusAnnotation, "200-299"}, {kHealthCheckIntervalAnnotation, "2s"},
        {kHealthCheckTimeoutAnnotation, "15ms"},   {kHealthCheckFallAnnotation, "5"},
        {kHealthCheckRiseAnnotation, "4"}};
    annotations[test.annotation] = test.value;
    const Annotated<ActiveHealthCheck> result = health_check_from(annotations);
    ASSERT_EQ(result.problems.size(), 1u) << test.annotation << " " << test.value;
    EXPECT_TRUE(mentions(result.problems, test.annotation)) << result.problems[0];
    EXPECT_TRUE(mentions(result.problems, quote_value(test.value))) << result.problems[0];
    EXPECT_TRUE(mentions(result.problems, test.kept)) << result.problems[0];

    ActiveHealthCheck expected = defaults;
    const std::string name = test.annotation;
    if (name != kHealthCheckPathAnnotation) expected.path = "/ready";
    if (name != kHealthCheckStatusAnnotation) {
      expected.status_min = 200;
      expected.status_max = 299;
    }
    if (name != kHealthCheckIntervalAnnotation) expected.interval = milliseconds(2'000);
    expected.timeout = name == kHealthCheckTimeoutAnnotation ? default_timeout : milliseconds(15);
    if (name != kHealthCheckFallAnnotation) expected.fall = 5;
    if (name != kHealthCheckRiseAnnotation) expected.rise = 4;
    EXPECT_EQ(result.value, expected) << test.annotation << " " << test.value;
  }
}

TEST(HealthCheckAnnotationsTest, AnInvalidKindMeansNoChecksAndTheRestIsStillReported) {
  const Annotated<ActiveHealthCheck> result =
      health_check_from({{kHealthCheckAnnotation, "HTTP"},
                         {kHealthCheckPathAnnotation, "/ok"},
                         {kHealthCheckFallAnnotation, "1000"}});
  EXPECT_EQ(result.value, ActiveHealthCheck{});
  ASSERT_EQ(result.problems.size(), 2u);
  EXPECT_TRUE(mentions(result.problems, "\"HTTP\""));
  EXPECT_TRUE(mentions(result.problems, "no active checks"));
  EXPECT_TRUE(mentions(result.problems, kHealthCheckFallAnnotation));
  for (const char* bad : {"", "grpc", "https", "http tcp"}) {
    const Annotated<ActiveHealthCheck> refused = health_check_from({{kHealthCheckAnnotation, bad}});
    EXPECT_FALSE(refused.value.enabled) << bad;
    ASSERT_EQ(refused.problems.size(), 1u) << bad;
    EXPECT_TRUE(mentions(refused.problems, quote_value(bad))) << refused.problems[0];
  }
}

TEST(HealthCheckAnnotationsTest, SettingsWithoutEffectAreReportedAndLeftAtDefaults) {
  const Annotated<ActiveHealthCheck> without_kind = health_check_from(
      {{kHealthCheckPathAnnotation, "/ready"}, {kHealthCheckFallAnnotation, "4"}});
  EXPECT_EQ(without_kind.value, ActiveHealthCheck{});
  ASSERT_EQ(without_kind.problems.size(), 2u);
  EXPECT_TRUE(mentions(without_kind.problems, kHealthCheckPathAnnotation));
  EXPECT_TRUE(mentions(without_kind.problems, "no effect without portico.io/health-check"));

  const Annotated<ActiveHealthCheck> tcp =
      health_check_from({{kHealthCheckAnnotation, "tcp"},
                         {kHealthCheckPathAnnotation, "/ready"},
                         {kHealthCheckStatusAnnotation, "200"},
                         {kHealthCheckRiseAnnotation, "5"}});
  ActiveHealthCheck expected = http_defaults();
  expected.kind = Kind::kTcp;
  expected.rise = 5;
  EXPECT_EQ(tcp.value, expected);
  ASSERT_EQ(tcp.problems.size(), 2u);
  EXPECT_TRUE(mentions(tcp.problems, kHealthCheckPathAnnotation));
  EXPECT_TRUE(mentions(tcp.problems, kHealthCheckStatusAnnotation));
  EXPECT_TRUE(mentions(tcp.problems, "no effect on a tcp check"));
}

}  // namespace
}  // namespace portico::controller::annotations
