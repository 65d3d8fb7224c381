#include "proxy/metrics/worker_stats.h"

#include <algorithm>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

void RouteCounters::record(uint16_t code, double seconds) {
  auto it = std::find_if(requests_by_code.begin(), requests_by_code.end(),
                         [code](const auto& entry) { return entry.first == code; });
  if (it == requests_by_code.end()) {
    requests_by_code.emplace_back(code, 1);
  } else {
    ++it->second;
  }
  const auto bucket = std::lower_bound(kDurationBuckets.begin(), kDurationBuckets.end(), seconds);
  if (bucket != kDurationBuckets.end()) ++duration_buckets[bucket - kDurationBuckets.begin()];
  ++duration_count;
  duration_sum += seconds;
}

void RouteCounters::merge(const RouteCounters& other) {
  for (const auto& [code, count] : other.requests_by_code) {
    auto it = std::find_if(requests_by_code.begin(), requests_by_code.end(),
                           [code = code](const auto& entry) { return entry.first == code; });
    if (it == requests_by_code.end()) {
      requests_by_code.emplace_back(code, count);
    } else {
      it->second += count;
    }
  }
  for (std::size_t i = 0; i < duration_buckets.size(); ++i) {
    duration_buckets[i] += other.duration_buckets[i];
  }
  duration_count += other.duration_count;
  duration_sum += other.duration_sum;
}

void StatsTotals::merge(const StatsTotals& other) {
  for (const auto& [labels, counters] : other.routes) routes[labels].merge(counters);
  for (const auto& [labels, value] : other.inflight) inflight[labels] += value;
  upstream_connect_errors += other.upstream_connect_errors;
  active_connections += other.active_connections;
}

RouteCounters& WorkerStats::route(const RouteTarget* target) {
  auto cached = route_cache_.find(target);
  if (cached != route_cache_.end()) return *cached->second;
  RouteLabels labels;
  if (target != nullptr) {
    labels.ingress = target->ingress;
    labels.namespace_ = target->namespace_;
    if (target->backend) labels.service = target->backend->service;
  }
  RouteCounters* counters = &totals_.routes[std::move(labels)];
  route_cache_.emplace(target, counters);
  return *counters;
}

int64_t& WorkerStats::inflight(const Backend& backend) {
  auto cached = inflight_cache_.find(&backend);
  if (cached != inflight_cache_.end()) return *cached->second;
  int64_t* value = &totals_.inflight[ServiceLabels{backend.namespace_, backend.service}];
  inflight_cache_.emplace(&backend, value);
  return *value;
}

void WorkerStats::on_snapshot_swap() {
  route_cache_.clear();
  inflight_cache_.clear();
}

}  // namespace portico::proxy
