#include "controller/election/rfc3339_format.h"

#include <gtest/gtest.h>

#include "controller/decode/rfc3339.h"

namespace portico::controller {
namespace {

TEST(Rfc3339FormatTest, WritesUtcWithTheRequestedPrecision) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1714564805)) +
                    std::chrono::nanoseconds(7'654'321);
  EXPECT_EQ(format_rfc3339(time, TimePrecision::kSeconds), "2024-05-01T12:00:05Z");
  EXPECT_EQ(format_rfc3339(time, TimePrecision::kMicroseconds), "2024-05-01T12:00:05.007654Z");
}

TEST(Rfc3339FormatTest, ParsesBackToTheTruncatedTime) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(951782400)) +
                    std::chrono::microseconds(999'999);  // 2000-02-29, a leap day
  auto parsed = parse_rfc3339(format_rfc3339(time, TimePrecision::kMicroseconds));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, time);
  EXPECT_EQ(format_rfc3339(time, TimePrecision::kSeconds), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace portico::controller
