#include "proxy/metrics/proxy_metrics.h"

#include <chrono>
#include <set>
#include <string>

#include "proxy/health/outlier_detector.h"
#include "proxy/server/server.h"

namespace portico::proxy {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::chrono::milliseconds kWorkerAnswerTimeout{2000};

MetricFamily family(std::string name, std::string help, MetricType type) {
  MetricFamily result;
  result.name = std::move(name);
  result.help = std::move(help);
  result.type = type;
  return result;
}

ClientMetric gauge(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  return metric;
}

std::vector<ClientMetric::Label> route_labels(const RouteLabels& labels) {
  return {
      {"ingress", labels.ingress}, {"namespace", labels.namespace_}, {"service", labels.service}};
}

ClientMetric counter(double value, std::vector<ClientMetric::Label> labels) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  return metric;
}

// Per Service and per endpoint, from the shared state that outlives snapshots. An endpoint
// or Service under two balancing policies is one backend each: reported once.
void append_upstream_families(const RouteSnapshot& snapshot, std::vector<MetricFamily>& out) {
  auto retries = family("portico_upstream_retries_total",
                        "Retries sent to another endpoint, per Service.", MetricType::Counter);
  auto rejections =
      family("portico_circuit_breaker_rejections_total",
             "Requests answered 503 at once by a Service's circuit breaker.", MetricType::Counter);
  // The leader's autoscaler scrapes these two from every proxy replica by name.
  auto held = family("portico_held_requests",
                     "Requests held while a Service scaled to zero has no endpoint, over every "
                     "worker.",
                     MetricType::Gauge);
  auto service_inflight =
      family("portico_service_requests_in_flight",
             "Requests in flight to a Service or waiting for a connection to it, over every "
             "worker; held requests are not included.",
             MetricType::Gauge);
  auto arrivals = family("portico_service_arrivals_total",
                         "Requests routed to a Service (sent, held or refused), over every "
                         "worker; with the in-flight gauges, the autoscaler's demand signal.",
                         MetricType::Counter);
  auto requests = family("portico_endpoint_requests_total", "Requests sent to an endpoint.",
                         MetricType::Counter);
  auto failures =
      family("portico_endpoint_failures_total",
             "Attempts that failed at an endpoint (connect, reset, 5xx).", MetricType::Counter);
  auto healthy =
      family("portico_endpoint_healthy",
             "1 while an endpoint passes its active checks and is not ejected.", MetricType::Gauge);
  auto ejections = family("portico_endpoint_ejections_total",
                          "Times outlier detection ejected an endpoint.", MetricType::Counter);
  auto inflight =
      family("portico_endpoint_inflight_requests",
             "Requests in flight at an endpoint, over every worker.", MetricType::Gauge);
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  std::set<const BackendState*> services;
  std::set<std::pair<std::string, const EndpointState*>> endpoints;
  for (const auto& backend : snapshot.backends) {
    const std::vector<ClientMetric::Label> service = {{"namespace", backend->namespace_},
                                                      {"service", backend->service}};
    if (backend->state && services.insert(backend->state.get()).second) {
      retries.metric.push_back(
          counter(static_cast<double>(backend->state->retries.load()), service));
      rejections.metric.push_back(
          counter(static_cast<double>(backend->state->breaker_rejections.load()), service));
      held.metric.push_back(gauge(static_cast<double>(backend->state->held.load()), service));
      service_inflight.metric.push_back(gauge(
          static_cast<double>(backend->state->requests.load() + backend->state->pending.load()),
          service));
      arrivals.metric.push_back(
          counter(static_cast<double>(backend->state->arrivals.load()), service));
    }
    for (const Endpoint& endpoint : backend->endpoints) {
      const EndpointState& state = *endpoint.state;
      if (!endpoints.insert({backend->namespace_ + "/" + backend->service, &state}).second) {
        continue;
      }
      auto labels = service;
      labels.push_back({"endpoint", state.identity});
      requests.metric.push_back(counter(static_cast<double>(state.total_requests.load()), labels));
      failures.metric.push_back(counter(static_cast<double>(state.failures.load()), labels));
      healthy.metric.push_back(gauge(available(state, now_ns) ? 1 : 0, labels));
      ejections.metric.push_back(counter(static_cast<double>(state.ejections.load()), labels));
      inflight.metric.push_back(gauge(static_cast<double>(state.active_requests.load()), labels));
    }
  }
  for (MetricFamily* family_out : {&retries, &rejections, &held, &service_inflight, &arrivals,
                                   &requests, &failures, &healthy, &ejections, &inflight}) {
    out.push_back(std::move(*family_out));
  }
}

}  // namespace

std::vector<MetricFamily> ProxyMetrics::Collect() const {
  const StatsTotals totals = server_.collect(kWorkerAnswerTimeout);

  auto requests = family("portico_requests_total", "Requests answered, by route and status code.",
                         MetricType::Counter);
  auto durations = family("portico_request_duration_seconds",
                          "Time from a complete request head to the end of its response.",
                          MetricType::Histogram);
  for (const auto& [labels, counters] : totals.routes) {
    for (const auto& [code, count] : counters.requests_by_code) {
      ClientMetric metric;
      metric.label = route_labels(labels);
      metric.label.push_back({"code", std::to_string(code)});
      metric.counter.value = static_cast<double>(count);
      requests.metric.push_back(std::move(metric));
    }
    ClientMetric metric;
    metric.label = route_labels(labels);
    metric.histogram.sample_count = counters.duration_count;
    metric.histogram.sample_sum = counters.duration_sum;
    uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
      cumulative += counters.duration_buckets[i];
      metric.histogram.bucket.push_back({cumulative, kDurationBuckets[i]});
    }
    metric.histogram.bucket.push_back(
        {counters.duration_count, std::numeric_limits<double>::infinity()});
    durations.metric.push_back(std::move(metric));
  }

  auto inflight = family("portico_inflight_requests",
                         "Requests being forwarded to a Service right now.", MetricType::Gauge);
  for (const auto& [labels, value] : totals.inflight) {
    inflight.metric.push_back(gauge(static_cast<double>(value), {{"namespace", labels.namespace_},
                                                                 {"service", labels.service}}));
  }

  auto connect_errors =
      family("portico_upstream_connect_errors_total",
             "Failed connection attempts to upstream endpoints.", MetricType::Counter);
  ClientMetric connect_error_count;
  connect_error_count.counter.value = static_cast<double>(totals.upstream_connect_errors);
  connect_errors.metric.push_back(connect_error_count);

  auto active = family("portico_active_connections", "Open client connections.", MetricType::Gauge);
  active.metric.push_back(gauge(static_cast<double>(totals.active_connections)));

  auto generation = family("portico_config_generation",
                           "Generation of the routing snapshot in use.", MetricType::Gauge);
  generation.metric.push_back(gauge(static_cast<double>(server_.generation())));
  auto applied = family("portico_config_last_applied_timestamp_seconds",
                        "Unix time the current routing snapshot was applied.", MetricType::Gauge);
  applied.metric.push_back(gauge(server_.last_applied_unix_seconds()));

  std::vector<MetricFamily> families = {
      std::move(requests), std::move(durations),  std::move(inflight), std::move(connect_errors),
      std::move(active),   std::move(generation), std::move(applied)};
  if (const auto snapshot = server_.latest_snapshot()) {
    append_upstream_families(*snapshot, families);
  }
  return families;
}

}  // namespace portico::proxy
