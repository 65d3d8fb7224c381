#pragma once
// The data plane as a whole: N workers behind one port. Implements SnapshotSink, so the
// controller publishes here; a publish is one post per worker and never waits for them.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "proxy/health/active_health_checker.h"
#include "proxy/metrics/worker_stats.h"
#include "proxy/server/proxy_options.h"
#include "proxy/server/worker.h"
#include "proxy/snapshot/route_snapshot.h"
#include "proxy/snapshot/snapshot_reclaimer.h"

namespace portico::proxy {

// Control-plane threads call every method; the workers are only reached through posts.
class Server final : public SnapshotSink {
 public:
  explicit Server(ProxyOptions options);
  ~Server() override;

  // Binds every worker's listener on the same port (SO_REUSEPORT) and starts them with an
  // empty configuration (everything answers 404 until the first publish).
  Status start();
  uint16_t http_port() const { return port_; }

  void publish(std::shared_ptr<const RouteSnapshot> snapshot) override;
  // The latest published snapshot (control plane: metrics, health checks); null before any.
  std::shared_ptr<const RouteSnapshot> latest_snapshot() const;

  // Stops accepting, lets in-flight requests finish for up to the drain timeout, then stops
  // the workers. Blocks the caller until every worker thread has ended.
  void drain_and_stop();

  // Sums every worker's statistics, each copied on its own thread. Waits at most `timeout`
  // per worker; a worker that does not answer in time is left out of this scrape.
  StatsTotals collect(std::chrono::milliseconds timeout);

  bool has_configuration() const { return generation_.load() > 0; }
  bool draining() const { return draining_.load(); }
  uint64_t generation() const { return generation_.load(); }
  double last_applied_unix_seconds() const { return last_applied_.load(); }
  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }

 private:
  ProxyOptions options_;
  // Declared before the workers: they hand their last snapshot references to it as they
  // stop, so it must still exist then.
  SnapshotReclaimer reclaimer_;
  // Off the workers: its own thread checks the endpoints of the latest snapshot.
  ActiveHealthChecker health_checker_;
  std::vector<std::unique_ptr<Worker>> workers_;
  uint16_t port_ = 0;
  std::atomic<uint64_t> generation_{0};
  std::atomic<double> last_applied_{0};
  std::atomic<bool> draining_{false};
  mutable std::mutex latest_mutex_;  // control plane only: publish and scrapes
  std::shared_ptr<const RouteSnapshot> latest_;
};

}  // namespace portico::proxy
