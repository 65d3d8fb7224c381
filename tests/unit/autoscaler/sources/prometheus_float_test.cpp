// Numbers as Prometheus and prometheus-cpp write them.
#include "autoscaler/sources/prometheus_float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace portico::autoscaler {
namespace {

TEST(PrometheusFloat, ReadsDecimalExponentAndSignedForms) {
  const struct {
    const char* text;
    double value;
  } cases[] = {
      {"3", 3},
      {"12.5", 12.5},
      {"3e0", 3},
      {"1e+06", 1e6},
      {"2.5E-1", 0.25},
      {"-4", -4},
      {"+7", 7},
      {"0", 0},
      {"-0", 0},
      {"+Inf", std::numeric_limits<double>::infinity()},
      {"-Inf", -std::numeric_limits<double>::infinity()},
      {"inf", std::numeric_limits<double>::infinity()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const std::optional<double> got = parse_prometheus_float(c.text);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, c.value);
  }
}

TEST(PrometheusFloat, ReadsNanInEveryCaseWritersUse) {
  for (const char* text : {"NaN", "Nan", "nan"}) {
    SCOPED_TRACE(text);
    const std::optional<double> got = parse_prometheus_float(text);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(std::isnan(*got));
  }
}

TEST(PrometheusFloat, RefusesAnythingButOneWholeNumber) {
  for (const char* text : {"", "+", "++3", "+-3", "3 ", " 3", "3x", "1,5", "12.5.1", "Infx"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_prometheus_float(text).has_value());
  }
}

}  // namespace
}  // namespace portico::autoscaler
