#include "controller/election/rfc3339_format.h"

#include <cstdio>

namespace portico::controller {

std::string format_rfc3339(std::chrono::system_clock::time_point time, TimePrecision precision) {
  using namespace std::chrono;
  const auto micros = floor<microseconds>(time);
  const auto day = floor<days>(micros);
  const year_month_day date{day};
  const hh_mm_ss clock{micros - day};
  char text[40];
  int length = std::snprintf(
      text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02lld", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<long long>(clock.seconds().count()));
  if (precision == TimePrecision::kMicroseconds) {
    length += std::snprintf(text + length, sizeof text - static_cast<std::size_t>(length),
                            ".%06lld", static_cast<long long>(clock.subseconds().count()));
  }
  return std::string(text, static_cast<std::size_t>(length)) + "Z";
}

}  // namespace portico::controller
