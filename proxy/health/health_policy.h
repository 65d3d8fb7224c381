#pragma once
// How a backend's endpoints are judged healthy, on top of Kubernetes readiness (which
// decides whether an endpoint is in the snapshot at all): active checks with HAProxy's
// semantics and passive outlier detection from real traffic. Plain values in the snapshot,
// set by the controller from Service annotations.
#include <chrono>
#include <cstdint>
#include <string>

namespace portico::proxy {

struct ActiveHealthCheck {
  enum class Kind { kHttp, kTcp };
  bool enabled = false;
  Kind kind = Kind::kHttp;
  std::string path = "/healthz";  // kHttp: GET this path
  uint16_t status_min = 200;      // kHttp: a status in [min, max] passes
  uint16_t status_max = 399;
  std::chrono::milliseconds interval{5'000};  // each check is jittered by up to +-10 %
  std::chrono::milliseconds timeout{1'000};
  uint32_t fall = 3;  // consecutive failures that mark a healthy endpoint down
  uint32_t rise = 2;  // consecutive successes that bring a down endpoint back

  bool operator==(const ActiveHealthCheck&) const = default;
};

// Consecutive 5xx responses or connect failures eject an endpoint for base_ejection x the
// number of times it has been ejected (capped at max_ejection); never more than
// max_ejection_percent of a backend's endpoints are ejected at once.
// Off unless a Service asks for it (as in Envoy and HAProxy): a client that provokes 500s on
// purpose must not be able to eject healthy pods.
struct OutlierDetection {
  uint32_t consecutive_failures = 0;  // 0 turns passive detection off
  std::chrono::milliseconds base_ejection{30'000};
  std::chrono::milliseconds max_ejection{300'000};
  uint32_t max_ejection_percent = 50;

  bool operator==(const OutlierDetection&) const = default;
};

}  // namespace portico::proxy
