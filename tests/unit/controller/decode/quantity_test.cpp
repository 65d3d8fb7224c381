#include "controller/decode/quantity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace portico::controller {
namespace {

std::optional<int64_t> milli(const std::string& text) {
  Result<int64_t> parsed = parse_milli_value(text);
  if (!parsed.ok()) return std::nullopt;
  return parsed.value();
}

constexpr std::optional<int64_t> kOutOfRange = std::nullopt;

// A row of apimachinery's TestQuantityParse table, as MilliValue() of the parsed quantity.
// `whole` says the value is a whole number of milli-units, so negating the input negates the
// result exactly; otherwise the positive result was rounded up and the negative one is the
// same magnitude rounded towards zero.
struct Row {
  const char* input;
  std::optional<int64_t> milli;
  bool whole = true;
};

// quantity_test.go TestQuantityParse, with decQuantity(v, scale) turned into milli-units.
const Row kApimachineryTable[] = {
    {"0", 0},
    {"0n", 0},
    {"0u", 0},
    {"0m", 0},
    {"0Ki", 0},
    {"0k", 0},
    {"0Mi", 0},
    {"0M", 0},
    {"0Gi", 0},
    {"0G", 0},
    {"0Ti", 0},
    {"0T", 0},
    // Quantity-less numbers are allowed.
    {"1", 1'000},
    // Binary suffixes.
    {"1Ki", 1'024'000},
    {"8Ki", 8'192'000},
    {"7Mi", 7'340'032'000},
    {"6Gi", 6'442'450'944'000},
    {"5Ti", 5'497'558'138'880'000},
    {"4Pi", 4'503'599'627'370'496'000},
    {"3Ei", kOutOfRange},
    {"10Ti", 10'995'116'277'760'000},
    {"100Ti", 109'951'162'777'600'000},
    // Decimal suffixes.
    {"5n", 1, false},
    {"4u", 1, false},
    {"3m", 3},
    {"9", 9'000},
    {"8k", 8'000'000},
    {"50k", 50'000'000},
    {"7M", 7'000'000'000},
    {"6G", 6'000'000'000'000},
    {"5T", 5'000'000'000'000'000},
    {"40T", 40'000'000'000'000'000},
    {"300T", 300'000'000'000'000'000},
    {"2P", 2'000'000'000'000'000'000},
    {"1E", kOutOfRange},
    // Decimal exponents.
    {"1E-3", 1},
    {"1e3", 1'000'000},
    {"1E6", 1'000'000'000},
    {"1e9", 1'000'000'000'000},
    {"1E12", 1'000'000'000'000'000},
    {"1e15", 1'000'000'000'000'000'000},
    {"1E18", kOutOfRange},
    // Nonstandard but still parsable.
    {"1e14", 100'000'000'000'000'000},
    {"1e13", 10'000'000'000'000'000},
    {"100.035k", 100'035'000},
    // Things that look like floating point.
    {"0.001", 1},
    {"0.0005k", 500},
    {"0.005", 5},
    {"0.05", 50},
    {"0.5", 500},
    {"0.00050k", 500},
    {"0.00500", 5},
    {"0.05000", 50},
    {"0.50000", 500},
    {"0.5e0", 500},
    {"0.5e-1", 50},
    {"0.5e-2", 5},
    {"10.035M", 10'035'000'000},
    {"1.2e3", 1'200'000},
    {"1.3E+6", 1'300'000'000},
    {"1.40e9", 1'400'000'000'000},
    {"1.53E12", 1'530'000'000'000'000},
    {"1.6e15", 1'600'000'000'000'000'000},
    {"1.7E18", kOutOfRange},
    {"9.01", 9'010},
    {"8.1k", 8'100'000},
    {"7.123456M", 7'123'456'000},
    {"6.987654321G", 6'987'654'321'000},
    {"5.444T", 5'444'000'000'000'000},
    {"40.1T", 40'100'000'000'000'000},
    {"300.2T", 300'200'000'000'000'000},
    {"2.5P", 2'500'000'000'000'000'000},
    {"1.01E", kOutOfRange},
    // Things that saturate or round.
    {"3.001n", 1, false},
    {"1.1E-9", 1, false},
    {"0.0000000001", 1, false},
    {"0.0000000005", 1, false},
    {"0.00000000050", 1, false},
    {"0.5e-9", 1, false},
    {"0.9n", 1, false},
    {"0.00000012345", 1, false},
    {"0.00000012354", 1, false},
    {"9Ei", kOutOfRange},
    {"9223372036854775807Ki", kOutOfRange},
    {"12E", kOutOfRange},
    // Fractional binary quantities.
    {"100.035Ki", 102'435'840},
    {"0.5Mi", 524'288'000},
    {"0.05Gi", 53'687'091'200},
    {"0.025Ti", 27'487'790'694'400},
    // Things written by trolls.
    {"0.000000000001Ki", 1, false},
    {".001", 1},
    {".0001k", 100},
    {"1.", 1'000},
    {"1.G", 1'000'000'000'000},
};

TEST(Quantity, ReadsTheIssuesExamples) {
  EXPECT_EQ(milli("250m"), 250);
  EXPECT_EQ(milli("1"), 1000);
  EXPECT_EQ(milli("43629237n"), 44);  // MilliValue rounds up
  EXPECT_EQ(milli("1.5"), 1500);
  EXPECT_EQ(milli("2Ki"), 2'048'000);
  EXPECT_EQ(milli("1e3"), 1'000'000);
}

TEST(Quantity, MatchesApimachinerysParseTable) {
  for (const Row& row : kApimachineryTable) {
    EXPECT_EQ(milli(row.input), row.milli) << row.input;
  }
}

TEST(Quantity, AnExplicitPlusChangesNothing) {
  for (const Row& row : kApimachineryTable) {
    EXPECT_EQ(milli(std::string("+") + row.input), row.milli) << row.input;
  }
}

TEST(Quantity, NegativeValuesRoundTowardsPositiveInfinity) {
  for (const Row& row : kApimachineryTable) {
    std::optional<int64_t> expected = row.milli;
    if (expected) expected = row.whole ? -*expected : -(*expected - 1);
    EXPECT_EQ(milli(std::string("-") + row.input), expected) << row.input;
  }
  EXPECT_EQ(milli("-1500u"), -1);
  EXPECT_EQ(milli("-1.5m"), -1);
  EXPECT_EQ(milli("-0.1m"), 0);
}

TEST(Quantity, RoundsUpToWholeMilliUnitsExactly) {
  EXPECT_EQ(milli("1n"), 1);
  EXPECT_EQ(milli("999999n"), 1);
  EXPECT_EQ(milli("1000000n"), 1);
  EXPECT_EQ(milli("1000001n"), 2);
  EXPECT_EQ(milli("0.1m"), 1);
  EXPECT_EQ(milli("1.0001m"), 2);
  EXPECT_EQ(milli("1.000000000000000000000000000001"), 1001);  // no double would see that
  EXPECT_EQ(milli("0.3"), 300);                                // nor get this one exact
  EXPECT_EQ(milli("1e-2147483648"), 1);  // tiny but not zero: at least one nano-unit
  EXPECT_EQ(milli("0e2147483647"), 0);
}

TEST(Quantity, RefusesWhatDoesNotFitInsteadOfWrapping) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(milli("9223372036854775807m"), kMax);
  EXPECT_EQ(milli("9223372036854775808m"), kOutOfRange);
  EXPECT_EQ(milli("-9223372036854775808m"), kMin);
  EXPECT_EQ(milli("-9223372036854775809m"), kOutOfRange);
  EXPECT_EQ(milli("9223372036854775.8069"), kMax);  // rounds up to ...807
  EXPECT_EQ(milli("9223372036854775.8071"), kOutOfRange);
  // apimachinery's MaxMilliValue, in whole units, and the first value past it.
  EXPECT_EQ(milli("9223372036854775"), 9'223'372'036'854'775'000);
  EXPECT_EQ(milli("9223372036854776"), kOutOfRange);
  // quantity_test.go TestParseQuantity's 18-, 19- and 20-digit numbers.
  EXPECT_EQ(milli("999999999999999999"), kOutOfRange);
  EXPECT_EQ(milli("9223372036854775807"), kOutOfRange);
  EXPECT_EQ(milli("-10000000000000000000.1"), kOutOfRange);
  EXPECT_EQ(milli("1e2147483647"), kOutOfRange);
  EXPECT_EQ(milli("1e2147483648"), kOutOfRange);  // the exponent itself is past int32
}

TEST(Quantity, AcceptsTheSpellingsApimachinerysScannerLetsThrough) {
  for (const char* zero : {"+", "-", ".", "+.", "-.", "00", "-0", "Ki", "Ti", "m", "n", "e3"}) {
    EXPECT_EQ(milli(zero), 0) << zero;
  }
  EXPECT_EQ(milli("1.e3"), 1'000'000);
  EXPECT_EQ(milli("007"), 7'000);
}

TEST(Quantity, RefusesWhatApimachineryRefuses) {
  for (const char* bad :
       {// quantity_test.go TestQuantityParse's invalid list.
        "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ",
        // More of the same grammar.
        "", "1.2.3", "1mm", "1ki", "1K", "1e", "1E+", "1e3k", "1e1.5", "1ee3", "--1", "+-1", "1-1",
        "1,5", "0x10", "1 Ki", "1\t", "1e3 ",
        // No digit where ParseQuantity's exact path needs one.
        "Pi", "Ei", "e-10", ".E-62"}) {
    EXPECT_FALSE(parse_milli_value(bad).ok()) << '"' << bad << '"';
  }
}

TEST(Quantity, ErrorsNameTheQuantity) {
  Result<int64_t> parsed = parse_milli_value("1mm");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().find("\"1mm\""), std::string::npos) << parsed.error();
}

}  // namespace
}  // namespace portico::controller
