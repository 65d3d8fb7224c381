#pragma once
// metrics.k8s.io/v1beta1 PodMetrics, reduced to what balancing and autoscaling read: one
// pod's CPU usage over the metrics-server's last window. Plain value; any thread.
#include <chrono>
#include <cstdint>
#include <string>

namespace portico::controller::metrics {

struct PodUsage {
  std::string namespace_;
  std::string name;
  int64_t cpu_milli = 0;  // summed over the pod's containers, MilliValue (rounded up)
  // When the window ended (metrics.k8s.io `timestamp`); unset when the server omits it.
  std::chrono::system_clock::time_point timestamp;

  std::string key() const { return namespace_ + "/" + name; }
};

}  // namespace portico::controller::metrics
