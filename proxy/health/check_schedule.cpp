#include "proxy/health/check_schedule.h"

#include <algorithm>
#include <cstdint>

namespace portico::proxy {
namespace {

int64_t interval_us(std::chrono::milliseconds interval) {
  return std::chrono::microseconds(std::max(interval, std::chrono::milliseconds(1))).count();
}

}  // namespace

std::chrono::microseconds first_check_delay(std::chrono::milliseconds interval,
                                            std::mt19937_64& random) {
  return std::chrono::microseconds(
      std::uniform_int_distribution<int64_t>(0, interval_us(interval))(random));
}

std::chrono::microseconds jittered_interval(std::chrono::milliseconds interval,
                                            std::mt19937_64& random) {
  const int64_t us = interval_us(interval);
  const int64_t spread = us / 10;
  return std::chrono::microseconds(
      std::uniform_int_distribution<int64_t>(us - spread, us + spread)(random));
}

}  // namespace portico::proxy
