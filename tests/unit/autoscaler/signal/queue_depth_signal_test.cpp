// The queue-depth signal as the autoscaler loop drives it: a reading every 100 ms of the
// requests in flight and of the cumulative arrivals counter.
#include "autoscaler/signal/queue_depth_signal.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>

namespace portico::autoscaler {
namespace {

constexpr int64_t kStepMs = 100;
constexpr int32_t kReady = 4;

TimePoint at_ms(int64_t ms) {
  return TimePoint{} + std::chrono::hours(24) + std::chrono::milliseconds(ms);
}

QueueDepthSignalOptions exact() {
  QueueDepthSignalOptions options;
  options.lower_bound_sigmas = 0;
  return options;
}

// Feeds a signal readings every 100 ms, with exact arrival counts for a given rate.
class Driver {
 public:
  explicit Driver(QueueDepthSignal& signal) : signal_(signal) {}

  // `seconds` of readings at `rate` arrivals per second with `in_flight` requests; calls
  // `each` after every reading.
  template <typename Each>
  void run(double seconds, double rate, int64_t in_flight, bool with_arrivals, Each each) {
    const int64_t steps = std::llround(seconds * 1000 / kStepMs);
    for (int64_t i = 0; i < steps; ++i) {
      now_ms_ += kStepMs;
      owed_ += rate * kStepMs / 1000;
      const auto whole = static_cast<int64_t>(owed_ + 1e-9);
      arrivals_ += whole;
      owed_ -= static_cast<double>(whole);
      signal_.observe(at_ms(now_ms_), in_flight,
                      with_arrivals ? std::optional<int64_t>(arrivals_) : std::nullopt, ready_);
      each();
    }
  }
  void run(double seconds, double rate, int64_t in_flight, bool with_arrivals = true) {
    run(seconds, rate, in_flight, with_arrivals, [] {});
  }

  void set_ready(int32_t ready) { ready_ = ready; }
  int64_t now_ms() const { return now_ms_; }

 private:
  QueueDepthSignal& signal_;
  int32_t ready_ = kReady;
  int64_t now_ms_ = 0;
  int64_t arrivals_ = 0;
  double owed_ = 0;
};

TEST(QueueDepthSignal, ReportsArrivalRateTimesTimeInSystem) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 100, 10);  // 100 requests per second, 0.1 s each
  ASSERT_TRUE(signal.service_seconds().has_value());
  EXPECT_NEAR(*signal.service_seconds(), 0.1, 1e-9);
  EXPECT_TRUE(signal.from_arrivals());
  EXPECT_NEAR(signal.value(), 10, 1e-6);
}

TEST(QueueDepthSignal, IsALowerConfidenceBound) {
  QueueDepthSignal signal;  // two standard errors below the mean
  Driver driver(signal);
  driver.run(120, 100, 10);
  // 6000 arrivals in the window: 2 / sqrt(6000) below 10.
  EXPECT_NEAR(signal.value(), 10 * (1 - 2 / std::sqrt(6000.0)), 1e-6);
}

TEST(QueueDepthSignal, DoesNotSaturateAtThePodsCapacity) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 100, 10);
  // Ten times the load on two pods of 10 slots: in flight is stuck at 20, the demand is 100.
  driver.run(2, 1000, 20);
  EXPECT_NEAR(signal.value(), 100, 1e-6);
}

TEST(QueueDepthSignal, ReadsAStepFromWhereItBeganAndEvaluatesOnce) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 100, 10);
  const int64_t step_at = driver.now_ms();
  EXPECT_FALSE(signal.should_evaluate(15.4));
  EXPECT_FALSE(signal.rise_began().has_value());

  driver.run(0.1, 1000, 20);
  ASSERT_TRUE(signal.rise_began().has_value());
  EXPECT_EQ(*signal.rise_began(), at_ms(step_at));
  // One reading after the step, the figure is the new rate's, not a 60 s average's.
  EXPECT_NEAR(signal.value(), 100, 1e-6);
  EXPECT_TRUE(signal.should_evaluate(15.4));
  driver.run(1, 1000, 20);
  EXPECT_FALSE(signal.should_evaluate(15.4));  // still above: no second evaluation
  EXPECT_EQ(*signal.rise_began(), at_ms(step_at));
}

TEST(QueueDepthSignal, FollowsAFallAsTheWindowSlides) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 1000, 100);
  driver.run(30, 100, 10);
  // Half the 60 s window is at the old rate, half at the new.
  EXPECT_NEAR(signal.value(), 55, 1e-6);
  EXPECT_FALSE(signal.rise_began().has_value());
  driver.run(30, 100, 10);
  EXPECT_NEAR(signal.value(), 10, 1e-6);
}

TEST(QueueDepthSignal, ReArmsOnceBackAtOrBelowTheLevel) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 100, 10);
  driver.run(2, 1000, 20);
  EXPECT_TRUE(signal.should_evaluate(15.4));
  // The scale-up raised the level above the figure: armed again.
  EXPECT_FALSE(signal.should_evaluate(150));
  driver.run(2, 2000, 20);
  EXPECT_NEAR(signal.value(), 200, 1e-6);
  EXPECT_TRUE(signal.should_evaluate(150));
}

TEST(QueueDepthSignal, ALevelRaisedBelowTheFigureCallsForAnotherEvaluation) {
  // The evaluation the rise called for added replicas, but fewer than the figure asks for (the
  // figure went on rising, or a retry took the write past the next reading): the higher level
  // is already passed, and waiting for the figure to dip under it would leave the rest to the
  // tick.
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 100, 10);
  driver.run(2, 1000, 20);
  EXPECT_TRUE(signal.should_evaluate(15.4));
  EXPECT_TRUE(signal.should_evaluate(70));
  // That evaluation changed nothing (a rate limit, say): the same level, no evaluation per
  // reading.
  driver.run(1, 1000, 20);
  EXPECT_FALSE(signal.should_evaluate(70));
}

TEST(QueueDepthSignal, SteadyPoissonLoadStaysInsideTheToleranceBand) {
  // 280 requests per second of 0.1 s: 28 in flight, the target of 4 replicas of 7. Readings are
  // Poisson as on a real steady load (arrivals per interval, and in flight, M/G/inf).
  QueueDepthSignal signal;
  std::mt19937_64 random(42);
  const auto poisson = [&random](double mean) {
    // Inversion by sequential search: exact and the same on every standard library.
    double u = std::generate_canonical<double, 64>(random);
    double p = std::exp(-mean);
    int64_t k = 0;
    while (u > p) {
      u -= p;
      ++k;
      p *= mean / static_cast<double>(k);
    }
    return k;
  };
  int64_t arrivals = 0;
  double lowest = 1e9;
  double highest = 0;
  int evaluations = 0;
  for (int64_t ms = kStepMs; ms <= 3600 * 1000; ms += kStepMs) {
    arrivals += poisson(28);
    signal.observe(at_ms(ms), poisson(28), arrivals, kReady);
    if (ms < 60 * 1000) continue;  // the window fills
    lowest = std::min(lowest, signal.value());
    highest = std::max(highest, signal.value());
    evaluations += signal.should_evaluate(28 * 1.1) ? 1 : 0;
  }
  EXPECT_FALSE(signal.rise_began().has_value());
  EXPECT_EQ(evaluations, 0);
  EXPECT_GT(lowest, 28 * 0.9);
  EXPECT_LT(highest, 28 * 1.1);
}

TEST(QueueDepthSignal, WithoutArrivalsReportsTheMeanInFlight) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 100, 10, false);
  EXPECT_FALSE(signal.from_arrivals());
  EXPECT_FALSE(signal.service_seconds().has_value());
  EXPECT_NEAR(signal.value(), 10, 1e-9);
  // A step shows in the readings themselves, which then include the growing backlog.
  const int64_t step_at = driver.now_ms();
  driver.run(0.1, 1000, 60, false);
  ASSERT_TRUE(signal.rise_began().has_value());
  EXPECT_EQ(*signal.rise_began(), at_ms(step_at));
  // The trapezoid between the readings 10 and 60.
  EXPECT_NEAR(signal.value(), 35, 1e-9);
}

TEST(QueueDepthSignal, ACounterDecreaseMakesItsIntervalUnknown) {
  QueueDepthSignal signal(exact());
  signal.observe(at_ms(0), 10, 0, kReady);
  int64_t arrivals = 0;
  int64_t ms = 0;
  const auto run = [&](double seconds, int64_t counter_offset) {
    for (int i = 0; i < seconds * 10; ++i) {
      ms += kStepMs;
      arrivals += 10;
      signal.observe(at_ms(ms), 10, arrivals - counter_offset, kReady);
    }
  };
  run(120, 0);
  ASSERT_TRUE(signal.from_arrivals());
  run(0.1, 5000);  // a Portico replica restarted: its counter went back to 0
  EXPECT_FALSE(signal.from_arrivals());
  EXPECT_NEAR(signal.value(), 10, 1e-9);  // the mean in flight stands in
  run(60, 5000);
  EXPECT_TRUE(signal.from_arrivals());
  EXPECT_NEAR(signal.value(), 10, 1e-6);
}

TEST(QueueDepthSignal, AtZeroReplicasAnyRequestTriggersAnEvaluation) {
  QueueDepthSignal signal;
  signal.observe(at_ms(0), 0, 0, 0);
  signal.observe(at_ms(100), 0, 0, 0);
  EXPECT_FALSE(signal.should_evaluate(0));
  signal.observe(at_ms(200), 1, 1, 0);
  EXPECT_TRUE(signal.should_evaluate(0));
  signal.observe(at_ms(300), 2, 2, 0);
  EXPECT_FALSE(signal.should_evaluate(0));
}

TEST(QueueDepthSignal, WithNoPodReadyTheRequestsHeldAreTheDemand) {
  QueueDepthSignal signal(exact());
  Driver driver(signal);
  driver.run(120, 5, 1);  // 5 requests per second, 1 in flight
  const double served = signal.value();
  // The only pod went away: 30 requests held for a replacement, at the same low rate.
  driver.set_ready(0);
  driver.run(0.1, 5, 30);
  EXPECT_EQ(signal.value(), 30);
  EXPECT_TRUE(signal.should_evaluate(7.7));
  driver.set_ready(1);
  driver.run(0.1, 5, 1);
  EXPECT_LT(signal.value(), 30);
  EXPECT_NEAR(signal.value(), served, served * 0.1);
}

TEST(QueueDepthSignal, KeepsItsMemoryBoundedAtAnyCallRate) {
  QueueDepthSignal signal(exact());
  // A reading every millisecond: 100 arrivals per second, 10 in flight.
  for (int64_t ms = 0; ms <= 65 * 1000; ++ms) signal.observe(at_ms(ms), 10, ms / 10, kReady);
  EXPECT_LE(signal.intervals_kept(), 60 * 1000 / 50 + 2);
  EXPECT_NEAR(signal.value(), 10, 0.01);
}

TEST(QueueDepthSignal, IgnoresReadingsThatDoNotMoveForward) {
  QueueDepthSignal signal(exact());
  EXPECT_EQ(signal.value(), 0);
  signal.observe(at_ms(1000), 7, 0, kReady);
  EXPECT_EQ(signal.value(), 7);  // before any interval, the reading itself
  signal.observe(at_ms(1000), 500, 100, kReady);
  signal.observe(at_ms(900), 500, 100, kReady);
  EXPECT_EQ(signal.requests(), 7);
  EXPECT_EQ(signal.value(), 7);
}

}  // namespace
}  // namespace portico::autoscaler
