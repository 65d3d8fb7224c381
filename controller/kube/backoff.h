#pragma once
// Exponential back-off with jitter between failed list/watch attempts, client-go's reflector
// defaults: 800 ms doubling to 30 s, each wait stretched by up to 100 % at random so that
// many controllers restarted together do not hit a recovering API server in step.
#include <chrono>

namespace portico::controller::kube {

struct BackoffOptions {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds cap{30'000};
  double factor = 2.0;
  double jitter = 1.0;  // a wait lies in [d, d * (1 + jitter)) for the current step d
};

// Pure: the random draw is an argument. One owner; not thread-safe.
class Backoff {
 public:
  explicit Backoff(BackoffOptions options = {}) : options_(options), step_(options.initial) {}

  // The wait before the next attempt, for `uniform` in [0, 1); advances the step.
  std::chrono::milliseconds next(double uniform);
  // After a success: the next failure waits `initial` again.
  void reset() { step_ = options_.initial; }

 private:
  BackoffOptions options_;
  std::chrono::milliseconds step_;
};

}  // namespace portico::controller::kube
