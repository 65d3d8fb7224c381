#pragma once
// Holding mode for a Service scaled to zero: while its backend has no ready endpoint, requests
// wait (instead of an immediate 503) until one appears, the queue is full or they time out.
// The controller sets it on the backends of a ScalingPolicy's queue-depth Service when the
// policy allows zero replicas.
#include <chrono>
#include <cstdint>

namespace portico::proxy {

struct HoldWhenEmpty {
  uint32_t queue_size = 100;  // requests held at once for the Service, over every worker
  std::chrono::milliseconds timeout{60000};

  bool operator==(const HoldWhenEmpty&) const = default;
};

}  // namespace portico::proxy
