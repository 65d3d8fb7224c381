#pragma once
// The simulation's one random generator: xoshiro256** seeded through splitmix64, with its own
// uniform, exponential and Poisson sampling. std::*_distribution is not used because its
// output differs between standard libraries, and a seed must mean the same run everywhere.
// Not thread-safe; each run owns its generators.
#include <cstdint>

namespace portico::simulation {

class Random {
 public:
  explicit Random(uint64_t seed);

  // An independent generator for one purpose (arrivals, pod starts, API faults), so that one
  // consumer drawing more numbers (a controller that creates more pods) does not change what
  // the others draw: both controllers then see the same arrivals.
  Random stream(uint64_t purpose) const;

  uint64_t next();
  // Uniform in [0, 1), from the top 53 bits.
  double uniform();
  // Uniform integer in [low, high], both inclusive; low <= high.
  int64_t uniform_int(int64_t low, int64_t high);
  bool bernoulli(double probability);
  // Exponentially distributed with the given mean (> 0).
  double exponential(double mean);
  // Poisson distributed with the given mean (>= 0).
  int64_t poisson(double mean);

 private:
  Random() = default;

  uint64_t state_[4] = {};
  uint64_t seed_ = 0;
};

}  // namespace portico::simulation
