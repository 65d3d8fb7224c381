#include "proxy/metrics/proxy_metrics.h"

#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "proxy/http/head_parser.h"
#include "proxy/server/server.h"

namespace portico::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr uint64_t kGeneration = 7;

// Every request answers 503 from the default target (a Service without endpoints), so the
// requests carry route labels without needing an upstream.
std::shared_ptr<const RouteSnapshot> snapshot_without_endpoints() {
  auto backend = std::make_shared<Backend>();
  backend->name = "shop/web:80";
  backend->namespace_ = "shop";
  backend->service = "web";
  auto target = std::make_shared<RouteTarget>();
  target->ingress = "shop/main";
  target->namespace_ = "shop";
  target->backend = backend;
  auto snapshot = std::make_shared<RouteSnapshot>();
  snapshot->generation = kGeneration;
  snapshot->default_target = target;
  snapshot->backends.push_back(backend);
  return snapshot;
}

const MetricFamily* find_family(const std::vector<MetricFamily>& families,
                                const std::string& name) {
  for (const MetricFamily& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// Polls `condition` (state owned by worker threads) until it holds or five seconds pass.
bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

class ProxyMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ProxyOptions options;
    options.listen_address = "127.0.0.1";
    options.http_port = 0;
    options.workers = 2;
    options.drain_timeout = std::chrono::seconds(2);
    server_ = std::make_unique<Server>(options);
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error();
    server_->publish(snapshot_without_endpoints());
    metrics_ = std::make_unique<ProxyMetrics>(*server_);
  }

  void TearDown() override {
    metrics_.reset();
    if (server_) server_->drain_and_stop();
  }

  // One request on its own connection; returns the response (head and body).
  std::string request() {
    tcp::socket socket(client_context_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->http_port()));
    const std::string text = "GET /cart HTTP/1.1\r\nHost: shop.example\r\n\r\n";
    asio::write(socket, asio::buffer(text));
    std::string response;
    const std::size_t head_bytes =
        asio::read_until(socket, asio::dynamic_buffer(response), "\r\n\r\n");
    http::ResponseHead head;
    const http::ParseResult parsed =
        http::parse_response_head(response, http::HeadLimits{}, "GET", head);
    EXPECT_EQ(parsed.status, http::ParseStatus::kComplete) << response;
    EXPECT_EQ(parsed.consumed, head_bytes);
    if (head.facts.framing == http::BodyFraming::kContentLength &&
        response.size() < head_bytes + head.facts.content_length) {
      asio::read(socket, asio::dynamic_buffer(response),
                 asio::transfer_exactly(head_bytes + head.facts.content_length - response.size()));
    }
    return response;
  }

  double requests_total(const std::vector<MetricFamily>& families) {
    const MetricFamily* requests = find_family(families, "portico_requests_total");
    double total = 0;
    if (requests != nullptr) {
      for (const auto& metric : requests->metric) total += metric.counter.value;
    }
    return total;
  }

  asio::io_context client_context_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<ProxyMetrics> metrics_;
};

TEST_F(ProxyMetricsTest, EveryFamilyHasItsNameAndType) {
  const std::vector<MetricFamily> families = metrics_->Collect();
  const std::vector<std::pair<std::string, MetricType>> expected = {
      {"portico_requests_total", MetricType::Counter},
      {"portico_request_duration_seconds", MetricType::Histogram},
      {"portico_inflight_requests", MetricType::Gauge},
      {"portico_upstream_connect_errors_total", MetricType::Counter},
      {"portico_active_connections", MetricType::Gauge},
      {"portico_config_generation", MetricType::Gauge},
      {"portico_config_last_applied_timestamp_seconds", MetricType::Gauge},
      // Per Service and endpoint, from the published snapshot's shared state.
      {"portico_upstream_retries_total", MetricType::Counter},
      {"portico_circuit_breaker_rejections_total", MetricType::Counter},
      {"portico_held_requests", MetricType::Gauge},
      {"portico_service_requests_in_flight", MetricType::Gauge},
      {"portico_service_arrivals_total", MetricType::Counter},
      {"portico_endpoint_requests_total", MetricType::Counter},
      {"portico_endpoint_failures_total", MetricType::Counter},
      {"portico_endpoint_healthy", MetricType::Gauge},
      {"portico_endpoint_ejections_total", MetricType::Counter},
      {"portico_endpoint_inflight_requests", MetricType::Gauge},
  };
  EXPECT_EQ(families.size(), expected.size());
  for (const auto& [name, type] : expected) {
    const MetricFamily* family = find_family(families, name);
    ASSERT_NE(family, nullptr) << name;
    EXPECT_EQ(family->type, type) << name;
    EXPECT_FALSE(family->help.empty()) << name;
  }
}

TEST_F(ProxyMetricsTest, ConfigGenerationAndApplyTime) {
  const std::vector<MetricFamily> families = metrics_->Collect();
  const MetricFamily* generation = find_family(families, "portico_config_generation");
  ASSERT_NE(generation, nullptr);
  ASSERT_EQ(generation->metric.size(), 1u);
  EXPECT_EQ(generation->metric[0].gauge.value, static_cast<double>(kGeneration));

  const MetricFamily* applied =
      find_family(families, "portico_config_last_applied_timestamp_seconds");
  ASSERT_NE(applied, nullptr);
  ASSERT_EQ(applied->metric.size(), 1u);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(applied->metric[0].gauge.value, now - 60);
  EXPECT_LE(applied->metric[0].gauge.value, now);
}

TEST_F(ProxyMetricsTest, NothingCountedBeforeTraffic) {
  const std::vector<MetricFamily> families = metrics_->Collect();
  EXPECT_TRUE(find_family(families, "portico_requests_total")->metric.empty());
  EXPECT_TRUE(find_family(families, "portico_request_duration_seconds")->metric.empty());
  const MetricFamily* errors = find_family(families, "portico_upstream_connect_errors_total");
  ASSERT_EQ(errors->metric.size(), 1u);
  EXPECT_EQ(errors->metric[0].counter.value, 0);
  const MetricFamily* active = find_family(families, "portico_active_connections");
  ASSERT_EQ(active->metric.size(), 1u);
  EXPECT_EQ(active->metric[0].gauge.value, 0);
}

TEST_F(ProxyMetricsTest, ActiveConnectionsCountOpenClients) {
  auto active = [&] {
    const std::vector<MetricFamily> families = metrics_->Collect();
    return find_family(families, "portico_active_connections")->metric.at(0).gauge.value;
  };
  tcp::socket first(client_context_);
  tcp::socket second(client_context_);
  const tcp::endpoint proxy(asio::ip::make_address("127.0.0.1"), server_->http_port());
  first.connect(proxy);
  second.connect(proxy);
  EXPECT_TRUE(eventually([&] { return active() == 2; })) << active();
  first.close();
  EXPECT_TRUE(eventually([&] { return active() == 1; })) << active();
  second.close();
  EXPECT_TRUE(eventually([&] { return active() == 0; })) << active();
}

TEST_F(ProxyMetricsTest, RequestsAreCountedWithRouteLabelsAcrossWorkers) {
  constexpr int kRequests = 4;
  for (int i = 0; i < kRequests; ++i) {
    const std::string response = request();
    EXPECT_EQ(response.rfind("HTTP/1.1 503", 0), 0u) << response;
  }
  ASSERT_TRUE(eventually([&] { return requests_total(metrics_->Collect()) == kRequests; }));

  const std::vector<MetricFamily> families = metrics_->Collect();
  const MetricFamily* requests = find_family(families, "portico_requests_total");
  ASSERT_EQ(requests->metric.size(), 1u);  // one route, one code, summed over workers
  const std::vector<prometheus::ClientMetric::Label> labels = {
      {"ingress", "shop/main"}, {"namespace", "shop"}, {"service", "web"}, {"code", "503"}};
  EXPECT_EQ(requests->metric[0].label, labels);
  EXPECT_EQ(requests->metric[0].counter.value, kRequests);

  const MetricFamily* durations = find_family(families, "portico_request_duration_seconds");
  ASSERT_EQ(durations->metric.size(), 1u);
  const prometheus::ClientMetric::Histogram& histogram = durations->metric[0].histogram;
  EXPECT_EQ(histogram.sample_count, static_cast<uint64_t>(kRequests));
  EXPECT_GE(histogram.sample_sum, 0);
  ASSERT_EQ(histogram.bucket.size(), kDurationBuckets.size() + 1);
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    EXPECT_EQ(histogram.bucket[i].upper_bound, kDurationBuckets[i]);
  }
  EXPECT_EQ(histogram.bucket.back().upper_bound, std::numeric_limits<double>::infinity());
  EXPECT_EQ(histogram.bucket.back().cumulative_count, static_cast<uint64_t>(kRequests));
}

// The two gauges the autoscaler scrapes from every replica: one sample per Service, however
// many backends (ports, policies) it has, read from the Service's shared counters.
TEST_F(ProxyMetricsTest, HeldAndInFlightGaugesPerService) {
  auto state = std::make_shared<BackendState>();
  state->held = 3;
  state->requests = 4;
  state->pending = 2;
  auto snapshot = std::make_shared<RouteSnapshot>();
  snapshot->generation = kGeneration + 1;
  for (const char* port : {"80", "443"}) {
    auto backend = std::make_shared<Backend>();
    backend->index = static_cast<uint32_t>(snapshot->backends.size());
    backend->name = std::string("shop/web:") + port;
    backend->namespace_ = "shop";
    backend->service = "web";
    backend->state = state;
    snapshot->backends.push_back(backend);
  }
  server_->publish(snapshot);

  const std::vector<MetricFamily> families = metrics_->Collect();
  const std::vector<prometheus::ClientMetric::Label> labels = {{"namespace", "shop"},
                                                               {"service", "web"}};
  const MetricFamily* held = find_family(families, "portico_held_requests");
  ASSERT_NE(held, nullptr);
  ASSERT_EQ(held->metric.size(), 1u);
  EXPECT_EQ(held->metric[0].label, labels);
  EXPECT_EQ(held->metric[0].gauge.value, 3);
  const MetricFamily* inflight = find_family(families, "portico_service_requests_in_flight");
  ASSERT_NE(inflight, nullptr);
  ASSERT_EQ(inflight->metric.size(), 1u);
  EXPECT_EQ(inflight->metric[0].label, labels);
  EXPECT_EQ(inflight->metric[0].gauge.value, 6);  // in flight plus waiting for a connection
  state->arrivals = 41;
  const std::vector<MetricFamily> counted = metrics_->Collect();
  const MetricFamily* arrivals = find_family(counted, "portico_service_arrivals_total");
  ASSERT_NE(arrivals, nullptr);
  ASSERT_EQ(arrivals->metric.size(), 1u);
  EXPECT_EQ(arrivals->metric[0].counter.value, 41);

  state->held = 0;
  state->requests = 1;
  state->pending = 0;
  const std::vector<MetricFamily> later = metrics_->Collect();
  EXPECT_EQ(find_family(later, "portico_held_requests")->metric.at(0).gauge.value, 0);
  EXPECT_EQ(find_family(later, "portico_service_requests_in_flight")->metric.at(0).gauge.value, 1);
}

// The exposition a scraper reads: buckets cumulative, non-decreasing, ending at +Inf with
// the sample count.
TEST_F(ProxyMetricsTest, TextHistogramIsCumulativeAndEndsAtCount) {
  constexpr int kRequests = 3;
  for (int i = 0; i < kRequests; ++i) request();
  ASSERT_TRUE(eventually([&] { return requests_total(metrics_->Collect()) == kRequests; }));

  const std::string text = prometheus::TextSerializer().Serialize(metrics_->Collect());
  EXPECT_NE(text.find("# TYPE portico_request_duration_seconds histogram\n"), std::string::npos)
      << text;
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> bounds;
  std::vector<double> values;
  double count = -1;
  while (std::getline(lines, line)) {
    const std::string value = line.substr(line.rfind(' ') + 1);
    if (line.starts_with("portico_request_duration_seconds_bucket{")) {
      const std::size_t le = line.find("le=\"");
      ASSERT_NE(le, std::string::npos) << line;
      bounds.push_back(line.substr(le + 4, line.find('"', le + 4) - le - 4));
      values.push_back(std::stod(value));
    } else if (line.starts_with("portico_request_duration_seconds_count{")) {
      count = std::stod(value);
    }
  }
  ASSERT_EQ(bounds.size(), kDurationBuckets.size() + 1) << text;
  EXPECT_EQ(bounds.back(), "+Inf");
  EXPECT_EQ(count, kRequests);
  EXPECT_EQ(values.back(), count);
  for (std::size_t i = 1; i < values.size(); ++i) {
    EXPECT_LE(values[i - 1], values[i]) << "bucket le=" << bounds[i];
  }
  // A local 503 takes far less than the largest finite bound, so that bucket holds them all.
  EXPECT_EQ(values[values.size() - 2], count) << "le=" << bounds[bounds.size() - 2];
}

}  // namespace
}  // namespace portico::proxy
