#pragma once
// When an endpoint's checks run: spread at random so that the checks of many endpoints (and
// of many proxy replicas) never synchronise into bursts.
#include <chrono>
#include <random>

namespace portico::proxy {

// The delay before an endpoint's first check: uniform in [0, interval]. Pure apart from the
// engine, which the caller owns (the checker's thread only).
std::chrono::microseconds first_check_delay(std::chrono::milliseconds interval,
                                            std::mt19937_64& random);

// The time from one check's start to the next one's: uniform in [0.9, 1.1] x interval.
// An interval under 1 ms counts as 1 ms so that a bad value cannot spin the checker.
std::chrono::microseconds jittered_interval(std::chrono::milliseconds interval,
                                            std::mt19937_64& random);

}  // namespace portico::proxy
