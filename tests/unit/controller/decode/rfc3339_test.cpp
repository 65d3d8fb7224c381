#include "controller/decode/rfc3339.h"

#include <gtest/gtest.h>

namespace portico::controller {
namespace {

using std::chrono::system_clock;

int64_t millis(system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(millis(*parse_rfc3339("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(millis(*parse_rfc3339("2024-03-01T10:00:00Z")), 1709287200000);
  EXPECT_EQ(millis(*parse_rfc3339("2024-03-01T12:30:00+02:30")), 1709287200000);
  EXPECT_EQ(millis(*parse_rfc3339("2024-03-01T07:00:00-03:00")), 1709287200000);
  EXPECT_EQ(millis(*parse_rfc3339("2024-03-01T10:00:00.250Z")), 1709287200250);
}

TEST(Rfc3339, RefusesAnythingElse) {
  for (const char* text :
       {"", "2024-03-01", "2024-03-01T10:00:00", "2024-02-30T10:00:00Z", "2024-03-01T24:00:00Z",
        "2024-03-01T10:00:00.Z", "2024-03-01T10:00:00Zjunk", "2024-03-01 10:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace portico::controller
