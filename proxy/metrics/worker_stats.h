#pragma once
// Per-worker request statistics. Each worker owns one WorkerStats and is its only writer, so
// recording is plain increments with no atomics and no locks; a scrape asks every worker for
// a copy on its own thread (Server::collect) and merges the copies.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace portico::proxy {

struct RouteTarget;
struct Backend;

// Upper bounds in seconds, the Prometheus client default buckets.
inline constexpr std::array<double, 11> kDurationBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                            0.5,   1.0,  2.5,   5.0,  10.0};

struct RouteLabels {
  std::string ingress;
  std::string namespace_;
  std::string service;
  auto operator<=>(const RouteLabels&) const = default;
};

struct RouteCounters {
  std::vector<std::pair<uint16_t, uint64_t>> requests_by_code;       // few distinct codes per route
  std::array<uint64_t, kDurationBuckets.size()> duration_buckets{};  // not cumulative
  uint64_t duration_count = 0;
  double duration_sum = 0;

  void record(uint16_t code, double seconds);
  void merge(const RouteCounters& other);
};

struct ServiceLabels {
  std::string namespace_;
  std::string service;
  auto operator<=>(const ServiceLabels&) const = default;
};

// The copy a scrape takes; also what WorkerStats keeps, minus the caches.
struct StatsTotals {
  std::map<RouteLabels, RouteCounters> routes;
  std::map<ServiceLabels, int64_t> inflight;
  uint64_t upstream_connect_errors = 0;
  int64_t active_connections = 0;

  void merge(const StatsTotals& other);
};

// Worker thread only.
class WorkerStats {
 public:
  // Counters for a route; `target` null means "no route matched" (empty labels). The
  // pointer cache makes this one hash lookup per request; it is dropped on snapshot swaps
  // because targets belong to a snapshot while the counters outlive it.
  RouteCounters& route(const RouteTarget* target);
  int64_t& inflight(const Backend& backend);
  void on_snapshot_swap();

  void connection_opened() { ++totals_.active_connections; }
  void connection_closed() { --totals_.active_connections; }
  void upstream_connect_error() { ++totals_.upstream_connect_errors; }
  const StatsTotals& totals() const { return totals_; }

 private:
  StatsTotals totals_;
  std::unordered_map<const RouteTarget*, RouteCounters*> route_cache_;
  std::unordered_map<const Backend*, int64_t*> inflight_cache_;
};

}  // namespace portico::proxy
