#pragma once
// Picks the endpoint of a backend that serves one request: one small interface, one file
// per algorithm (as HAProxy's lb_*.c), made by make_load_balancer() from the backend's
// policy.
//
// Threads: each worker owns its own instance per backend (built when the worker first picks
// for that backend after a snapshot swap), so an instance's own fields need no
// synchronization. What every worker must see (requests in flight, response-time averages)
// lives in the endpoints' EndpointState atomics, updated by the session around each request.
// A pick never blocks, never allocates in steady state and never takes a lock.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

// What a pick may use about the request, computed by the session.
struct PickRequest {
  uint64_t hash = 0;    // the policy's hash key (client IP, header, cookie or path), hashed
  uint64_t random = 0;  // a fresh random word from the worker's generator
  int64_t now_ns = 0;   // steady_clock, for time-decayed state (slow start, EWMA)
};

class LoadBalancer {
 public:
  virtual ~LoadBalancer() = default;
  // An index into `endpoints` (the backend's endpoints, every one eligible), or nullopt when
  // there are none.
  virtual std::optional<std::size_t> pick(std::span<const Endpoint> endpoints,
                                          const PickRequest& request) = 0;
};

// The balancer for `backend.policy`; `worker_seed` differs per worker so that workers do not
// start in step (round robin positions, smooth weighted round robin phase).
std::unique_ptr<LoadBalancer> make_load_balancer(const Backend& backend, uint64_t worker_seed);

}  // namespace portico::proxy
