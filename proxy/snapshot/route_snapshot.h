#pragma once
// The whole routing state the data plane needs, as one immutable value. The controller
// builds it (controller/ depends on this header, never the reverse); workers read it without
// locks. Nothing in here knows about Kubernetes objects: only hosts, paths and endpoints.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/balancer/balancing_policy.h"
#include "proxy/health/health_policy.h"
#include "proxy/router/route_table.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/hold_when_empty.h"
#include "proxy/upstream/retry_policy.h"

namespace portico::proxy {

struct Endpoint {
  boost::asio::ip::tcp::endpoint address;
  uint32_t weight = 1;
  std::shared_ptr<EndpointState> state;  // never null in a published snapshot
};

class MaglevTable;
class SessionCookieIndex;

// One upstream pool: a Service port in Kubernetes terms (with one balancing policy: the
// same Service port under two policies is two backends).
struct Backend {
  uint32_t index = 0;               // position in RouteSnapshot::backends; per-worker state uses it
  std::string name;                 // "namespace/service:port", for logs
  std::string namespace_;           // metric label
  std::string service;              // metric label
  std::vector<Endpoint> endpoints;  // ready endpoints only; empty means 503
  BalancingPolicy policy;
  // Consistent hashing's lookup table over `endpoints`, built with the snapshot (control
  // plane) so that no worker pays for it; null unless the policy hashes.
  std::shared_ptr<const MaglevTable> hash_table;
  // Session affinity's endpoints by cookie key, built with the snapshot for the same reason;
  // null unless the policy's affinity is on.
  std::shared_ptr<const SessionCookieIndex> cookie_index;
  ActiveHealthCheck health_check;
  OutlierDetection outlier_detection;
  RetryPolicy retry;
  CircuitBreaker circuit_breaker;
  // Set: with no endpoint, requests are held until one is ready (scale from zero).
  std::optional<HoldWhenEmpty> hold_when_empty;
  // Counters of the Service that outlive snapshots and are shared by every worker and by
  // every backend of the Service (circuit breaker, retries); never null in a published
  // snapshot.
  std::shared_ptr<BackendState> state;
};

// What a matched rule sends traffic to.
struct RouteTarget {
  std::string ingress;  // "namespace/name" of the Ingress the rule came from (metric label)
  std::string namespace_;
  std::shared_ptr<const Backend> backend;  // null: the Service is missing, answer 503
};

struct RouteSnapshot {
  uint64_t generation = 0;
  RouteTable routes;                                     // host, then path -> RouteTarget
  std::shared_ptr<const RouteTarget> default_target;     // spec.defaultBackend; null -> 404
  std::vector<std::shared_ptr<const Backend>> backends;  // every backend, by Backend::index
};

// Where a finished snapshot goes. The proxy's Server implements it; the controller calls it.
// publish() may be called from any control-plane thread and never blocks on workers.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  virtual void publish(std::shared_ptr<const RouteSnapshot> snapshot) = 0;
};

}  // namespace portico::proxy
