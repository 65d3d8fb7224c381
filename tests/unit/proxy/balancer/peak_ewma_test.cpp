#include "proxy/balancer/peak_ewma.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSecond = 1'000'000'000;
// The time after which the average is halfway from its value to a lower sample.
const int64_t kHalfLife = std::llround(kPeakEwmaDecayNs * std::log(2.0));

TEST(NextPeakEwmaTest, AHigherSampleIsTakenAtOnce) {
  EXPECT_EQ(next_peak_ewma(100 * kMs, 500 * kMs, 0), 500 * kMs);
  EXPECT_EQ(next_peak_ewma(100 * kMs, 500 * kMs, 1000 * kSecond), 500 * kMs);
  EXPECT_EQ(next_peak_ewma(0, 3 * kMs, 0), 3 * kMs);
}

TEST(NextPeakEwmaTest, ALowerSampleIsApproachedWithTheHalfLife) {
  const int64_t current = 1000 * kMs;
  const int64_t sample = 200 * kMs;
  EXPECT_EQ(next_peak_ewma(current, sample, 0), current);
  EXPECT_NEAR(next_peak_ewma(current, sample, kHalfLife), 600 * kMs, 1);
  EXPECT_NEAR(next_peak_ewma(current, sample, 2 * kHalfLife), 400 * kMs, 1);
  EXPECT_NEAR(next_peak_ewma(current, sample, kPeakEwmaDecayNs),
              sample + (current - sample) / std::exp(1.0), 1);
  EXPECT_NEAR(next_peak_ewma(current, sample, 1000 * kSecond), sample, 1);
}

TEST(NextPeakEwmaTest, DecayTimeIsAParameter) {
  EXPECT_NEAR(next_peak_ewma(1000, 0, std::llround(kSecond * std::log(2.0)), kSecond), 500, 1);
}

TEST(NextPeakEwmaTest, NegativeElapsedCountsAsNone) {
  EXPECT_EQ(next_peak_ewma(1000 * kMs, 200 * kMs, -5 * kSecond), 1000 * kMs);
}

TEST(RecordLatencyTest, PeaksAtOnceThenDecaysWithTime) {
  EndpointState state("10.0.0.1:80");
  const int64_t start = 50 * kSecond;
  record_latency(state, 20 * kMs, start);
  EXPECT_EQ(state.latency_ewma_ns.load(), 20 * kMs);
  EXPECT_EQ(state.latency_updated_ns.load(), start);

  record_latency(state, 100 * kMs, start + kMs);
  EXPECT_EQ(state.latency_ewma_ns.load(), 100 * kMs);

  record_latency(state, 20 * kMs, start + kMs + kHalfLife);
  EXPECT_NEAR(state.latency_ewma_ns.load(), 60 * kMs, 1);
  EXPECT_EQ(state.latency_updated_ns.load(), start + kMs + kHalfLife);
}

TEST(RecordLatencyTest, AZeroSampleStillCountsAsASample) {
  EndpointState state("10.0.0.1:80");
  record_latency(state, 0, kSecond);
  EXPECT_GT(state.latency_ewma_ns.load(), 0);
}

TEST(RecordLatencyTest, TheClockStampNeverMovesBack) {
  EndpointState state("10.0.0.1:80");
  record_latency(state, 5 * kMs, 10 * kSecond);
  record_latency(state, 5 * kMs, 9 * kSecond);
  EXPECT_EQ(state.latency_updated_ns.load(), 10 * kSecond);
}

// With no time passing nothing decays, so every sample is a peak that must stay: a recorder
// that overwrote a concurrent, higher result would pull the average back down.
TEST(RecordLatencyTest, ConcurrentRecordersNeverLoseAPeak) {
  EndpointState state("10.0.0.1:80");
  static constexpr int kThreads = 4;
  static constexpr int kSamples = 50000;
  const int64_t now = 100 * kSecond;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&state, t, now] {
      for (int i = 0; i < kSamples; ++i) {
        const int64_t sample = kMs + int64_t{i} * kThreads + t;  // rising on every thread
        record_latency(state, sample, now);
        ASSERT_GE(state.latency_ewma_ns.load(), sample) << "a peak was lost";
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(state.latency_ewma_ns.load(), kMs + int64_t{kSamples - 1} * kThreads + kThreads - 1);
}

TEST(RecordLatencyTest, ConcurrentRecordersStayWithinTheSamplesRange) {
  EndpointState state("10.0.0.1:80");
  constexpr int kThreads = 4;
  constexpr int kSamples = 20000;
  static constexpr int64_t kLowest = 2 * kMs;
  static constexpr int64_t kHighest = 8 * kMs;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&state, t] {
      std::mt19937_64 random(static_cast<uint64_t>(t) + 100);
      for (int i = 0; i < kSamples; ++i) {
        const int64_t sample = kLowest + static_cast<int64_t>(random() % (kHighest - kLowest + 1));
        record_latency(state, sample, kSecond + static_cast<int64_t>(i) * kMs);
        const int64_t seen = state.latency_ewma_ns.load();
        ASSERT_GE(seen, kLowest);
        ASSERT_LE(seen, kHighest);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(state.latency_updated_ns.load(), kSecond + static_cast<int64_t>(kSamples - 1) * kMs);
}

TEST(PeakEwmaCostTest, AverageTimesInFlightPlusOne) {
  EndpointState state("10.0.0.1:80");
  record_latency(state, 10 * kMs, kSecond);
  EXPECT_DOUBLE_EQ(peak_ewma_cost(state, kSecond), 10.0 * kMs);
  state.active_requests.store(3);
  EXPECT_DOUBLE_EQ(peak_ewma_cost(state, kSecond), 40.0 * kMs);
}

TEST(PeakEwmaCostTest, AStaleAverageDecaysTowardZeroWhenRead) {
  EndpointState state("10.0.0.1:80");
  record_latency(state, 10 * kMs, kSecond);
  EXPECT_NEAR(peak_ewma_cost(state, kSecond + kHalfLife), 5.0 * kMs, 1.0);
  EXPECT_LT(peak_ewma_cost(state, kSecond + 10 * kPeakEwmaDecayNs), 1.0 * kMs);
  EXPECT_EQ(state.latency_ewma_ns.load(), 10 * kMs) << "reading must not write";
}

TEST(PeakEwmaCostTest, AFadedAverageStillRanksByInFlight) {
  EndpointState state("10.0.0.1:80");
  record_latency(state, 10 * kMs, 0);
  const int64_t much_later = 10000 * kSecond;
  const double idle = peak_ewma_cost(state, much_later);
  state.active_requests.store(5);
  EXPECT_GT(peak_ewma_cost(state, much_later), idle);
}

TEST(PeakEwmaCostTest, NewEndpointIsFreeUntilAProbeIsInFlight) {
  EndpointState fresh("10.0.0.1:80");
  EXPECT_EQ(peak_ewma_cost(fresh, kSecond), 0.0);
  fresh.active_requests.store(1);
  EndpointState slow("10.0.0.2:80");
  record_latency(slow, 30 * kSecond, kSecond);
  slow.active_requests.store(100);
  EXPECT_GT(peak_ewma_cost(fresh, kSecond), peak_ewma_cost(slow, kSecond));
  fresh.active_requests.store(2);
  const double two_probes = peak_ewma_cost(fresh, kSecond);
  fresh.active_requests.store(1);
  EXPECT_GT(two_probes, peak_ewma_cost(fresh, kSecond));
}

}  // namespace
}  // namespace portico::proxy
