#include "controller/metrics/pod_cpu_request.h"

#include "controller/decode/quantity.h"

namespace portico::controller::metrics {

int64_t pod_cpu_request_milli(const Pod& pod) {
  int64_t total = 0;
  for (const PodContainer& container : pod.containers) {
    if (container.cpu_request.empty()) return 0;
    const Result<int64_t> milli = parse_milli_value(container.cpu_request);
    if (!milli || milli.value() <= 0) return 0;
    total += milli.value();
  }
  return total;
}

}  // namespace portico::controller::metrics
