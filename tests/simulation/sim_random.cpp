#include "tests/simulation/sim_random.h"

#include <cassert>
#include <cmath>

namespace portico::simulation {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

// Knuth's product-of-uniforms method is exact and cheap for small means; larger means are
// split into parts of at most this size, whose Poisson variates sum to the whole.
constexpr double kPoissonPart = 30.0;

}  // namespace

Random::Random(uint64_t seed) : seed_(seed) {
  uint64_t mix = seed;
  for (uint64_t& word : state_) word = splitmix64(mix);
}

Random Random::stream(uint64_t purpose) const {
  uint64_t mix = seed_ ^ (purpose * 0xd1342543de82ef95ULL);
  return Random(splitmix64(mix));
}

uint64_t Random::next() {
  const uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double Random::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

int64_t Random::uniform_int(int64_t low, int64_t high) {
  assert(low <= high);
  const uint64_t span = static_cast<uint64_t>(high - low) + 1;
  if (span == 0) return static_cast<int64_t>(next());  // the whole 64-bit range
  // Rejection keeps every value equally likely (no modulo bias).
  const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  uint64_t draw = next();
  while (draw >= limit) draw = next();
  return low + static_cast<int64_t>(draw % span);
}

bool Random::bernoulli(double probability) {
  return uniform() < probability;
}

double Random::exponential(double mean) {
  assert(mean > 0);
  return -mean * std::log(1.0 - uniform());
}

int64_t Random::poisson(double mean) {
  assert(mean >= 0);
  int64_t total = 0;
  while (mean > 0) {
    const double part = mean < kPoissonPart ? mean : kPoissonPart;
    mean -= part;
    const double floor = std::exp(-part);
    double product = uniform();
    while (product > floor) {
      ++total;
      product *= uniform();
    }
  }
  return total;
}

}  // namespace portico::simulation
