// The simulation's own parts, checked before any claim rests on them: the generator, the
// quantity strings, the metrics window, holding at zero, the scale API's faults, the oracle.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "autoscaler/scale/scale_client.h"
#include "controller/decode/quantity.h"
#include "tests/simulation/comparison.h"
#include "tests/simulation/metrics_server.h"
#include "tests/simulation/oracle.h"
#include "tests/simulation/portico_loop.h"
#include "tests/simulation/proxy_model.h"
#include "tests/simulation/scale_api.h"
#include "tests/simulation/sim_random.h"

namespace portico::simulation {
namespace {

TEST(SimulationHarness, RandomRepeatsPerSeedAndStreamsDiffer) {
  Random a(42);
  Random b(42);
  Random other = Random(42).stream(1);
  int same_as_other = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t value = a.next();
    EXPECT_EQ(value, b.next());
    same_as_other += value == other.next() ? 1 : 0;
  }
  EXPECT_EQ(same_as_other, 0);
}

TEST(SimulationHarness, RandomSamplesHaveTheirMeans) {
  Random random(7);
  constexpr int kDraws = 20000;
  for (const double mean : {0.3, 3.5, 75.0}) {
    double poisson = 0;
    double exponential = 0;
    for (int i = 0; i < kDraws; ++i) {
      poisson += static_cast<double>(random.poisson(mean));
      exponential += random.exponential(mean);
    }
    EXPECT_NEAR(poisson / kDraws, mean, mean * 0.03) << mean;
    EXPECT_NEAR(exponential / kDraws, mean, mean * 0.03) << mean;
  }
  for (int i = 0; i < 1000; ++i) {
    const int64_t value = random.uniform_int(-2, 3);
    EXPECT_TRUE(value >= -2 && value <= 3) << value;
  }
}

TEST(SimulationHarness, CpuQuantitiesAreCanonicalAndParseAsMilliValues) {
  const struct {
    int64_t nanocores;
    const char* text;
    int64_t milli;
  } cases[] = {{43629237, "43629237n", 44},
               {250'000'000, "250m", 250},
               {2'000'000'000, "2", 2000},
               {1'500'000, "1500u", 2},
               {0, "0", 0}};
  for (const auto& c : cases) {
    EXPECT_EQ(cpu_quantity(c.nanocores), c.text);
    const Result<int64_t> parsed = controller::parse_milli_value(cpu_quantity(c.nanocores));
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(parsed.value(), c.milli) << c.text;
  }
}

TEST(SimulationHarness, MetricsServerAveragesBusySlotsOverItsWindow) {
  PodOptions pods;
  Deployment deployment(pods, Random(1), 1);
  MetricsServer metrics({}, {{100 * kSecond, 160 * kSecond}});
  const Millis first = MetricsServerOptions{}.scrape_phase;
  const Millis period = MetricsServerOptions{}.scrape_period;
  metrics.advance(first, deployment);
  EXPECT_TRUE(metrics.pod_metrics(first).value().empty());  // no window yet
  // Two slots busy for a third of the next window.
  deployment.start_request(0, first);
  deployment.start_request(0, first);
  deployment.finish_request(0, first + period / 3);
  deployment.finish_request(0, first + period / 3);
  metrics.advance(first + period, deployment);
  const std::vector<PodMetrics> listed = metrics.pod_metrics(first + period).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].window, period);
  EXPECT_EQ(controller::parse_milli_value(listed[0].cpu).value(),
            2 * pods.cpu_per_busy_slot_milli / 3 + 1);  // 33.3m, rounded up
  EXPECT_FALSE(metrics.pod_metrics(100 * kSecond).ok());
}

TEST(SimulationHarness, ProxyHoldsAtZeroUpToItsBoundAndReleasesOnReady) {
  PodOptions pods;
  pods.slow_start_probability = 0;  // ready well within the hold timeout
  Deployment deployment(pods, Random(3), 0);
  ProxyOptions options;
  ProxyModel proxy(deployment, options);
  deployment.scale(1, 0);
  const Millis ready_at = deployment.pods().front().ready_at;
  const int64_t arrivals = options.hold_queue_size + 5;
  for (int64_t i = 0; i < arrivals; ++i) proxy.arrive(i, 100);
  EXPECT_EQ(proxy.counts().held, arrivals);
  EXPECT_EQ(proxy.counts().failed_overflow, 5);
  EXPECT_EQ(proxy.queue_depth(), options.hold_queue_size);
  proxy.dispatch(ready_at - 1);
  EXPECT_EQ(proxy.queue_depth(), options.hold_queue_size);
  proxy.dispatch(ready_at);
  EXPECT_EQ(deployment.pods().front().in_flight, pods.concurrency);
  proxy.run_until(ready_at + 100 * kSecond);
  EXPECT_EQ(proxy.counts().served, static_cast<int64_t>(options.hold_queue_size));
  EXPECT_EQ(proxy.queue_depth(), 0);
}

TEST(SimulationHarness, ScaleWritesLandAfterTheirLatencyAndConflictsAreBounded) {
  const autoscaler::ScaleTarget target{"shop", "web"};
  SimScaleApi api(2, {10, 10, 0.0, 0.0}, Random(5));
  api.begin(1000);
  ASSERT_TRUE(autoscaler::scale_to(api, target, 2, 5).ok());
  EXPECT_EQ(api.cursor(), 1020);  // one read, one write
  EXPECT_EQ(api.spec_replicas(1019), 2);
  EXPECT_EQ(api.spec_replicas(1020), 5);

  SimScaleApi conflicting(2, {10, 10, 1.0, 0.0}, Random(5));
  conflicting.begin(0);
  EXPECT_FALSE(autoscaler::scale_to(conflicting, target, 2, 5).ok());
  EXPECT_EQ(conflicting.counts().conflicts, 3);
  EXPECT_EQ(conflicting.spec_replicas(kHour), 2);
}

TEST(SimulationHarness, OracleStartsPodsOneStartDelayAhead) {
  const SimulationOptions options;
  const OracleOptions oracle = oracle_options(options);
  const Trace trace = step_trace(10);
  const std::vector<int32_t> replicas = oracle_replicas(trace, options.step, oracle);
  const auto at = [&](Millis t) { return replicas[static_cast<size_t>(t / options.step)]; };
  const int32_t low = needed_replicas(kBaseRate, oracle);
  const int32_t high = needed_replicas(10 * kBaseRate, oracle);
  EXPECT_EQ(low, static_cast<int32_t>(std::ceil(kBaseRate * 0.1 / kQueueDepthTargetPerReplica)));
  EXPECT_EQ(at(*trace.step_at - oracle.start_delay - options.step), low);
  EXPECT_EQ(at(*trace.step_at - oracle.start_delay), high);
}

TEST(SimulationHarness, RunsRepeatPerSeed) {
  const Trace trace = spike_trace();
  SimulationOptions options;
  const RunResult first = simulate(trace, portico_loop_options(), options);
  const RunResult again = simulate(trace, portico_loop_options(), options);
  ASSERT_EQ(first.writes.size(), again.writes.size());
  for (size_t i = 0; i < first.writes.size(); ++i) {
    EXPECT_EQ(first.writes[i].at, again.writes[i].at);
    EXPECT_EQ(first.writes[i].to, again.writes[i].to);
  }
  EXPECT_EQ(first.requests.arrived, again.requests.arrived);
  options.seed += 1;
  EXPECT_NE(simulate(trace, portico_loop_options(), options).requests.arrived,
            first.requests.arrived);
}

}  // namespace
}  // namespace portico::simulation
