#include "proxy/metrics/worker_stats.h"

#include <cstddef>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {
namespace {

uint64_t count_for(const RouteCounters& counters, uint16_t code) {
  for (const auto& [known, count] : counters.requests_by_code) {
    if (known == code) return count;
  }
  return 0;
}

std::size_t bucket_index(double bound) {
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (kDurationBuckets[i] == bound) return i;
  }
  ADD_FAILURE() << "no bucket " << bound;
  return 0;
}

std::shared_ptr<const Backend> backend(std::string namespace_, std::string service) {
  auto result = std::make_shared<Backend>();
  result->namespace_ = std::move(namespace_);
  result->service = std::move(service);
  result->name = result->namespace_ + "/" + result->service + ":80";
  return result;
}

RouteTarget target(std::string ingress, std::string namespace_, std::shared_ptr<const Backend> to) {
  RouteTarget result;
  result.ingress = std::move(ingress);
  result.namespace_ = std::move(namespace_);
  result.backend = std::move(to);
  return result;
}

TEST(RouteCountersTest, CountsRequestsPerStatusCode) {
  RouteCounters counters;
  counters.record(200, 0.01);
  counters.record(200, 0.01);
  counters.record(404, 0.01);
  counters.record(200, 0.01);
  counters.record(502, 0.01);
  EXPECT_EQ(count_for(counters, 200), 3u);
  EXPECT_EQ(count_for(counters, 404), 1u);
  EXPECT_EQ(count_for(counters, 502), 1u);
  EXPECT_EQ(counters.requests_by_code.size(), 3u);
  EXPECT_EQ(counters.duration_count, 5u);
}

TEST(RouteCountersTest, DurationsLandInTheirBucketAndTheSum) {
  RouteCounters counters;
  counters.record(200, 0.3);   // (0.25, 0.5]
  counters.record(200, 0.07);  // (0.05, 0.1]
  counters.record(200, 0.0);   // first bucket
  EXPECT_EQ(counters.duration_buckets[bucket_index(0.5)], 1u);
  EXPECT_EQ(counters.duration_buckets[bucket_index(0.1)], 1u);
  EXPECT_EQ(counters.duration_buckets[0], 1u);
  uint64_t stored = 0;
  for (uint64_t value : counters.duration_buckets) stored += value;
  EXPECT_EQ(stored, 3u);  // per-bucket, not cumulative
  EXPECT_EQ(counters.duration_count, 3u);
  EXPECT_DOUBLE_EQ(counters.duration_sum, 0.37);
}

// Prometheus buckets are "less than or equal": a value on a bound belongs to that bound.
TEST(RouteCountersTest, ValueOnABucketBoundFallsInThatBucket) {
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    RouteCounters counters;
    counters.record(200, kDurationBuckets[i]);
    for (std::size_t j = 0; j < kDurationBuckets.size(); ++j) {
      EXPECT_EQ(counters.duration_buckets[j], i == j ? 1u : 0u)
          << "value " << kDurationBuckets[i] << " bucket " << kDurationBuckets[j];
    }
  }
}

TEST(RouteCountersTest, ValueJustAboveABoundGoesToTheNextBucket) {
  RouteCounters counters;
  counters.record(200, 0.0051);
  EXPECT_EQ(counters.duration_buckets[0], 0u);
  EXPECT_EQ(counters.duration_buckets[1], 1u);
}

TEST(RouteCountersTest, ValueAboveTheLastBoundIsOnlyInTheCount) {
  RouteCounters counters;
  counters.record(200, kDurationBuckets.back() + 1);
  for (uint64_t value : counters.duration_buckets) EXPECT_EQ(value, 0u);
  EXPECT_EQ(counters.duration_count, 1u);
  EXPECT_DOUBLE_EQ(counters.duration_sum, kDurationBuckets.back() + 1);
}

TEST(RouteCountersTest, MergeAddsCodesBucketsCountAndSum) {
  RouteCounters left;
  left.record(200, 0.002);
  left.record(500, 3.0);
  RouteCounters right;
  right.record(200, 0.002);
  right.record(201, 0.2);
  left.merge(right);
  EXPECT_EQ(count_for(left, 200), 2u);
  EXPECT_EQ(count_for(left, 201), 1u);
  EXPECT_EQ(count_for(left, 500), 1u);
  EXPECT_EQ(left.requests_by_code.size(), 3u);
  EXPECT_EQ(left.duration_buckets[0], 2u);
  EXPECT_EQ(left.duration_buckets[bucket_index(0.25)], 1u);
  EXPECT_EQ(left.duration_buckets[bucket_index(5.0)], 1u);
  EXPECT_EQ(left.duration_count, 4u);
  EXPECT_DOUBLE_EQ(left.duration_sum, 0.002 + 3.0 + 0.002 + 0.2);
}

TEST(StatsTotalsTest, MergeSumsEveryField) {
  WorkerStats first;
  WorkerStats second;
  const auto shop = backend("shop", "web");
  const RouteTarget route = target("shop/main", "shop", shop);
  first.route(&route).record(200, 0.01);
  second.route(&route).record(200, 0.01);
  second.route(nullptr).record(404, 0.001);
  first.inflight(*shop) += 2;
  second.inflight(*shop) += 3;
  first.upstream_connect_error();
  second.upstream_connect_error();
  second.upstream_connect_error();
  first.connection_opened();
  second.connection_opened();
  second.connection_opened();
  second.connection_closed();

  StatsTotals merged;
  merged.merge(first.totals());
  merged.merge(second.totals());
  ASSERT_EQ(merged.routes.size(), 2u);
  EXPECT_EQ(count_for(merged.routes[RouteLabels{"shop/main", "shop", "web"}], 200), 2u);
  EXPECT_EQ(count_for(merged.routes[RouteLabels{}], 404), 1u);
  EXPECT_EQ((merged.inflight[ServiceLabels{"shop", "web"}]), 5);
  EXPECT_EQ(merged.upstream_connect_errors, 3u);
  EXPECT_EQ(merged.active_connections, 2);
}

TEST(WorkerStatsTest, RouteLabelsComeFromTheTarget) {
  WorkerStats stats;
  const RouteTarget route = target("shop/main", "shop", backend("shop", "web"));
  stats.route(&route).record(200, 0.01);
  ASSERT_EQ(stats.totals().routes.size(), 1u);
  const auto& [labels, counters] = *stats.totals().routes.begin();
  EXPECT_EQ(labels.ingress, "shop/main");
  EXPECT_EQ(labels.namespace_, "shop");
  EXPECT_EQ(labels.service, "web");
  EXPECT_EQ(count_for(counters, 200), 1u);
}

TEST(WorkerStatsTest, MissingServiceHasAnEmptyServiceLabel) {
  WorkerStats stats;
  const RouteTarget route = target("shop/main", "shop", nullptr);
  stats.route(&route).record(503, 0.001);
  ASSERT_EQ(stats.totals().routes.size(), 1u);
  EXPECT_EQ(stats.totals().routes.begin()->first, (RouteLabels{"shop/main", "shop", ""}));
}

TEST(WorkerStatsTest, NullTargetHasEmptyLabels) {
  WorkerStats stats;
  stats.route(nullptr).record(404, 0.001);
  stats.route(nullptr).record(404, 0.001);
  ASSERT_EQ(stats.totals().routes.size(), 1u);
  const auto& [labels, counters] = *stats.totals().routes.begin();
  EXPECT_EQ(labels, RouteLabels{});
  EXPECT_EQ(count_for(counters, 404), 2u);
}

TEST(WorkerStatsTest, SameTargetGivesTheSameCounters) {
  WorkerStats stats;
  const RouteTarget route = target("shop/main", "shop", backend("shop", "web"));
  RouteCounters& first = stats.route(&route);
  RouteCounters& again = stats.route(&route);
  EXPECT_EQ(&first, &again);
}

TEST(WorkerStatsTest, DistinctTargetsWithEqualLabelsShareCounters) {
  WorkerStats stats;
  const auto web = backend("shop", "web");
  const RouteTarget a = target("shop/main", "shop", web);
  const RouteTarget b = target("shop/main", "shop", web);  // e.g. a second path of one rule
  stats.route(&a).record(200, 0.01);
  stats.route(&b).record(200, 0.01);
  ASSERT_EQ(stats.totals().routes.size(), 1u);
  EXPECT_EQ(count_for(stats.totals().routes.begin()->second, 200), 2u);
}

// The cache is keyed by pointer; after a swap the old targets may be freed and a new
// target with other labels can take the same address.
TEST(WorkerStatsTest, SnapshotSwapDropsTheCacheAndKeepsTheCounters) {
  WorkerStats stats;
  RouteTarget reused = target("shop/old", "shop", backend("shop", "web"));
  RouteCounters& old_route = stats.route(&reused);
  old_route.record(200, 0.01);

  reused = target("shop/new", "shop", backend("shop", "api"));
  // Within one snapshot the pointer alone decides: the labels are not read again.
  EXPECT_EQ(&stats.route(&reused), &old_route);
  stats.on_snapshot_swap();
  stats.route(&reused).record(201, 0.01);

  const auto& routes = stats.totals().routes;
  ASSERT_EQ(routes.size(), 2u);
  const auto old_counters = routes.find(RouteLabels{"shop/old", "shop", "web"});
  const auto new_counters = routes.find(RouteLabels{"shop/new", "shop", "api"});
  ASSERT_NE(old_counters, routes.end());
  ASSERT_NE(new_counters, routes.end());
  EXPECT_EQ(count_for(old_counters->second, 200), 1u);
  EXPECT_EQ(count_for(new_counters->second, 201), 1u);
  EXPECT_EQ(count_for(new_counters->second, 200), 0u);
}

TEST(WorkerStatsTest, CountersSurviveASwapForTheSameLabels) {
  WorkerStats stats;
  const auto web = backend("shop", "web");
  const RouteTarget before = target("shop/main", "shop", web);
  stats.route(&before).record(200, 0.01);
  stats.on_snapshot_swap();
  const RouteTarget after = target("shop/main", "shop", web);
  RouteCounters& counters = stats.route(&after);
  EXPECT_EQ(count_for(counters, 200), 1u);
  EXPECT_EQ(counters.duration_count, 1u);
}

TEST(WorkerStatsTest, InflightIsPerService) {
  WorkerStats stats;
  const auto web = backend("shop", "web");
  const auto web_again = backend("shop", "web");  // same Service, other snapshot
  const auto api = backend("shop", "api");
  int64_t& web_inflight = stats.inflight(*web);
  ++web_inflight;
  ++stats.inflight(*web_again);
  ++stats.inflight(*api);
  --stats.inflight(*api);
  EXPECT_EQ(&stats.inflight(*web), &web_inflight);
  EXPECT_EQ(stats.totals().inflight.at(ServiceLabels{"shop", "web"}), 2);
  EXPECT_EQ(stats.totals().inflight.at(ServiceLabels{"shop", "api"}), 0);
  EXPECT_EQ(stats.totals().inflight.size(), 2u);
}

TEST(WorkerStatsTest, SnapshotSwapDropsTheInflightCache) {
  WorkerStats stats;
  Backend reused;
  reused.namespace_ = "shop";
  reused.service = "web";
  int64_t& web = stats.inflight(reused);
  ++web;
  reused.service = "api";
  EXPECT_EQ(&stats.inflight(reused), &web);  // cached by pointer until the swap
  stats.on_snapshot_swap();
  ++stats.inflight(reused);
  EXPECT_EQ(stats.totals().inflight.at(ServiceLabels{"shop", "web"}), 1);
  EXPECT_EQ(stats.totals().inflight.at(ServiceLabels{"shop", "api"}), 1);
}

TEST(WorkerStatsTest, ConnectionAndConnectErrorCounters) {
  WorkerStats stats;
  stats.connection_opened();
  stats.connection_opened();
  stats.connection_opened();
  stats.connection_closed();
  stats.upstream_connect_error();
  EXPECT_EQ(stats.totals().active_connections, 2);
  EXPECT_EQ(stats.totals().upstream_connect_errors, 1u);
}

}  // namespace
}  // namespace portico::proxy
