#pragma once
// State that belongs to an endpoint rather than to a configuration: it must survive every
// snapshot swap. Snapshots hold shared_ptrs to it; the registry hands out the same object
// for the same identity for as long as any snapshot still refers to it.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>

namespace portico::proxy {

// Shared by every worker: counters are relaxed atomics, each on its own cache line so that
// workers updating different endpoints never contend.
struct EndpointState {
  explicit EndpointState(std::string key);
  const std::string identity;  // "ip:port"
  // steady_clock nanoseconds when the endpoint first appeared: slow start ramps from here.
  const int64_t created_ns;
  // Requests sent to the endpoint and not finished yet, over every worker (least
  // connections, power of two choices).
  alignas(64) std::atomic<int64_t> active_requests{0};
  alignas(64) std::atomic<uint64_t> total_requests{0};
  // Peak-EWMA of the response time in nanoseconds (0: no sample yet) and the steady_clock
  // time of its last update (least response time).
  alignas(64) std::atomic<int64_t> latency_ewma_ns{0};
  std::atomic<int64_t> latency_updated_ns{0};
  // resource-based: the weight the endpoint's spare CPU earns, 0 when above the ceiling;
  // -1 while unknown (no metrics yet: the static weight applies).
  alignas(64) std::atomic<int32_t> resource_weight{-1};
  // Active health checks (HAProxy's fall/rise): false while the checker has it down.
  alignas(64) std::atomic<bool> check_passing{true};
  // Passive outlier detection: failures in a row seen by any worker, the steady_clock time
  // until which the endpoint is ejected (0: not ejected), and how often it has been.
  alignas(64) std::atomic<uint32_t> consecutive_failures{0};
  std::atomic<int64_t> ejected_until_ns{0};
  std::atomic<uint32_t> ejections{0};
  std::atomic<uint64_t> failures{0};  // failed requests, for metrics
};

// Per Service (all its ports and policies), shared by every worker, surviving snapshot swaps
// (keyed by "namespace/name" in the same registry style as endpoints).
struct BackendState {
  alignas(64) std::atomic<int64_t> connections{0};  // upstream connections open
  alignas(64) std::atomic<int64_t> pending{0};      // requests waiting for a connection
  alignas(64) std::atomic<int64_t> requests{0};     // requests in flight
  alignas(64) std::atomic<uint64_t> retries{0};
  std::atomic<uint64_t> breaker_rejections{0};
  // Scale to zero and queue depth: requests held while the Service has no endpoint, and every
  // request routed to the Service (held, rejected or sent), which the autoscaler reads to
  // tell an idle Service from a busy one between two of its looks.
  alignas(64) std::atomic<int64_t> held{0};
  std::atomic<uint64_t> arrivals{0};
};

// "10.0.0.1:8080" or "[2001:db8::1]:8080": the identity the registry keys endpoints by.
// Formatted without printf: a translation formats every endpoint of the cluster.
std::string endpoint_identity(const boost::asio::ip::tcp::endpoint& endpoint);

// Control-plane only (snapshot building); takes its own mutex, never on a worker's path.
class EndpointStateRegistry {
 public:
  std::shared_ptr<EndpointState> acquire(const std::string& identity);
  // The same for a Service's shared counters, keyed by "namespace/name".
  std::shared_ptr<BackendState> acquire_backend(const std::string& key);
  // Calls `visit` on every endpoint some snapshot still holds (resource-based balancing's
  // weight writer). The registry's mutex is held throughout: `visit` must be short and must
  // not call back into the registry.
  void for_each_endpoint(const std::function<void(EndpointState&)>& visit);
  std::size_t size_for_tests();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<EndpointState>> states_;
  std::unordered_map<std::string, std::weak_ptr<BackendState>> backend_states_;
  // Expired entries are swept when the map reaches this size, which then becomes twice the
  // live count (at least 64): each sweep is paid for by as many inserts as it scanned, and
  // the map never holds much more than twice the live entries.
  std::size_t sweep_at_ = 64;
  std::size_t backend_sweep_at_ = 32;
};

}  // namespace portico::proxy
