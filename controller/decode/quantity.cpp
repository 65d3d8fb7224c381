#include "controller/decode/quantity.h"

#include <limits>
#include <optional>
#include <string>

namespace portico::controller {
namespace {

__extension__ typedef unsigned __int128 Wide;

// The number and suffix as apimachinery's parseQuantityString splits them.
struct Parts {
  bool negative = false;
  bool has_digit = false;     // in the number, leading zeros included
  std::string_view integer;   // leading zeros already skipped
  std::string_view fraction;  // after the '.'
  std::string_view suffix;
};

// A suffix's meaning: value = number x 10^decimal_exponent x 2^binary_exponent.
struct Scale {
  int64_t decimal_exponent = 0;
  int binary_exponent = 0;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_suffix_char(char c) {
  return std::string_view("eEinumkKMGTP").find(c) != std::string_view::npos;
}

Error format_error(std::string_view text) {
  return Error{"quantity \"" + std::string(text) +
               "\" must match the regular expression "
               "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"};
}

Error suffix_error(std::string_view text) {
  return Error{"quantity \"" + std::string(text) + "\" has a suffix that cannot be parsed"};
}

Error digits_error(std::string_view text) {
  return Error{"quantity \"" + std::string(text) + "\" has no digits"};
}

Error range_error(std::string_view text) {
  return Error{"quantity \"" + std::string(text) + "\" does not fit in 64-bit milli-units"};
}

// Mirrors parseQuantityString step by step, including what it lets through: a scanner that
// stops early returns what it has, so "+", "." and "Ki" all scan.
std::optional<Parts> split(std::string_view text) {
  Parts parts;
  std::size_t pos = 0;
  const std::size_t end = text.size();
  if (pos < end && (text[pos] == '-' || text[pos] == '+')) {
    parts.negative = text[pos] == '-';
    ++pos;
  }
  const std::size_t zeros_start = pos;
  while (pos < end && text[pos] == '0') ++pos;
  parts.has_digit = pos > zeros_start;
  if (pos == end) return parts;

  const std::size_t integer_start = pos;
  while (pos < end && is_digit(text[pos])) ++pos;
  parts.integer = text.substr(integer_start, pos - integer_start);
  parts.has_digit = parts.has_digit || !parts.integer.empty();
  if (pos == end) return parts;

  if (text[pos] == '.') {
    const std::size_t fraction_start = ++pos;
    while (pos < end && is_digit(text[pos])) ++pos;
    parts.fraction = text.substr(fraction_start, pos - fraction_start);
    parts.has_digit = parts.has_digit || !parts.fraction.empty();
    if (pos == end) return parts;
  }

  const std::size_t suffix_start = pos;
  while (pos < end && is_suffix_char(text[pos])) ++pos;
  if (pos < end && (text[pos] == '-' || text[pos] == '+')) ++pos;
  while (pos < end && is_digit(text[pos])) ++pos;
  if (pos != end) return std::nullopt;
  parts.suffix = text.substr(suffix_start);
  return parts;
}

// strconv.ParseInt(text, 10, 64) narrowed to int32: an optional sign and at least one digit.
std::optional<int64_t> parse_exponent(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  int64_t magnitude = 0;
  constexpr int64_t kLimit = int64_t{std::numeric_limits<int32_t>::max()} + 1;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    magnitude = magnitude * 10 + (c - '0');
    if (magnitude > kLimit) return std::nullopt;
  }
  const int64_t value = negative ? -magnitude : magnitude;
  if (value > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return value;
}

// quantitySuffixer.interpret.
std::optional<Scale> interpret(std::string_view suffix) {
  if (suffix.empty()) return Scale{};
  if (suffix.size() == 1) {
    switch (suffix[0]) {
      case 'n':
        return Scale{-9, 0};
      case 'u':
        return Scale{-6, 0};
      case 'm':
        return Scale{-3, 0};
      case 'k':
        return Scale{3, 0};
      case 'M':
        return Scale{6, 0};
      case 'G':
        return Scale{9, 0};
      case 'T':
        return Scale{12, 0};
      case 'P':
        return Scale{15, 0};
      case 'E':
        return Scale{18, 0};
      default:
        return std::nullopt;
    }
  }
  if (suffix.size() == 2 && suffix[1] == 'i') {
    const std::string_view kBinary = "KMGTPE";
    const std::size_t index = kBinary.find(suffix[0]);
    if (index != std::string_view::npos) return Scale{0, 10 * static_cast<int>(index + 1)};
  }
  if (suffix[0] == 'e' || suffix[0] == 'E') {
    const std::optional<int64_t> exponent = parse_exponent(suffix.substr(1));
    if (exponent) return Scale{*exponent, 0};
  }
  return std::nullopt;
}

// `digits` (decimal, most significant first) times `factor`, in place.
void multiply(std::string& digits, uint32_t factor) {
  uint64_t carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const uint64_t product = uint64_t(*it - '0') * factor + carry;
    *it = static_cast<char>('0' + product % 10);
    carry = product / 10;
  }
  while (carry != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
}

void strip_trailing_zeros(std::string& digits, int64_t& decimal_exponent) {
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++decimal_exponent;
  }
}

}  // namespace

Result<int64_t> parse_milli_value(std::string_view text) {
  if (text.empty()) return format_error(text);
  const std::optional<Parts> parts = split(text);
  if (!parts) return format_error(text);
  const std::optional<Scale> scale = interpret(parts->suffix);
  if (!scale) return suffix_error(text);
  // A number without a single digit is 0 when ParseQuantity's int64 fast path takes it; the
  // exact path (suffixes below 1n, Pi and Ei) hands it to inf.Dec, which wants a digit.
  if (!parts->has_digit && (scale->decimal_exponent < -9 || scale->binary_exponent > 40)) {
    return digits_error(text);
  }

  // The magnitude is `digits` x 10^decimal_exponent, with no leading or trailing zeros.
  std::string digits;
  digits.reserve(parts->integer.size() + parts->fraction.size() + 20);
  digits.append(parts->integer).append(parts->fraction);
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return int64_t{0};
  digits.erase(0, first);
  int64_t decimal_exponent = scale->decimal_exponent - static_cast<int64_t>(parts->fraction.size());
  strip_trailing_zeros(digits, decimal_exponent);
  for (int i = 0; i < scale->binary_exponent / 10; ++i) multiply(digits, 1024);
  strip_trailing_zeros(digits, decimal_exponent);

  // Whole nano-units, rounded away from zero (ParseQuantity's inf.RoundUp at scale 9). The
  // largest milli-value in int64 has 19 digits, so 30 digits of nano-units are already out
  // of range; anything with fewer fits in 128 bits.
  const int64_t whole_digits = static_cast<int64_t>(digits.size()) + decimal_exponent + 9;
  if (whole_digits > 30) return range_error(text);
  Wide nano = 1;  // a non-zero amount below one nano-unit
  if (whole_digits > 0) {
    nano = 0;
    for (int64_t i = 0; i < whole_digits; ++i) {
      const std::size_t at = static_cast<std::size_t>(i);
      nano = nano * 10 + (at < digits.size() ? unsigned(digits[at] - '0') : 0u);
    }
    // No trailing zeros: any digit left over is a non-zero remainder.
    if (static_cast<std::size_t>(whole_digits) < digits.size()) ++nano;
  }

  // MilliValue: towards +infinity.
  const Wide whole_milli = nano / 1'000'000;
  const bool fractional_milli = nano % 1'000'000 != 0;
  constexpr Wide kMax = std::numeric_limits<int64_t>::max();
  if (!parts->negative) {
    const Wide milli = whole_milli + (fractional_milli ? 1 : 0);
    if (milli > kMax) return range_error(text);
    return static_cast<int64_t>(milli);
  }
  if (whole_milli > kMax + 1) return range_error(text);
  if (whole_milli == kMax + 1) return std::numeric_limits<int64_t>::min();
  return -static_cast<int64_t>(whole_milli);
}

}  // namespace portico::controller
