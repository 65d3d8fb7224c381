#pragma once
// The proxy's Prometheus metrics, built at scrape time from the workers' own counters, so
// recording a request never touches a shared metric object. prometheus-cpp provides the
// data model and the text format.
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace portico::proxy {

class Server;

// Collect() runs on the scraping thread and blocks only that thread while workers copy
// their counters.
class ProxyMetrics final : public prometheus::Collectable {
 public:
  explicit ProxyMetrics(Server& server) : server_(server) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  Server& server_;
};

}  // namespace portico::proxy
