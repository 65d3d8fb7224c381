#pragma once
// Active health checks with HAProxy's semantics: every endpoint of a backend whose
// health_check is enabled gets an HTTP GET (status in a range) or a TCP connect every
// interval (jittered), each bounded by a timeout; `fall` failures in a row take it out of
// rotation, `rise` successes in a row bring it back. The verdict is EndpointState's
// check_passing atomic, which workers read; the checker never touches a load balancer.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

// Control plane: checks run on the checker's own thread and io_context, never on a proxy
// worker. update() and checked_endpoints() may be called from any thread (update() takes a
// mutex held for a pointer swap only); start(), stop() and the destructor belong to the
// owner. Everything else, the transition callback included, runs on the checker's thread.
//
// Endpoints are keyed by EndpointState identity ("ip:port"): the same address under two
// backends is checked once, with the settings of the first backend in
// RouteSnapshot::backends order that enables checks, because a second prober would double
// the load on the endpoint and could disagree with the first about the one shared
// check_passing flag.
class ActiveHealthChecker {
 public:
  // Told every time an endpoint's verdict flips, on the checker's thread; must not throw.
  using TransitionCallback = std::function<void(const std::string& identity, bool passing)>;

  explicit ActiveHealthChecker(TransitionCallback on_transition = nullptr);
  ~ActiveHealthChecker();
  ActiveHealthChecker(const ActiveHealthChecker&) = delete;
  ActiveHealthChecker& operator=(const ActiveHealthChecker&) = delete;

  // Starts the checker's thread; a snapshot given before is applied then. Once only: a
  // checker that was stopped stays stopped.
  void start();
  // Abandons the checks in flight (their sockets close with the checker) and joins the
  // thread at once; idempotent.
  void stop();

  // Any thread; never waits for a check. The endpoints to check become those of `snapshot`
  // (null: none). An endpoint that stays keeps its fall/rise counts and its schedule, taking
  // any changed settings from its next check on; a new one is checked first after a random
  // delay in [0, interval]; one that leaves stops being checked at once and, if it was down,
  // is released (check_passing true again, reported as a transition), since a checker that
  // no longer probes it must not hold it out of rotation. Snapshots given faster than the
  // checker applies them are coalesced: only the latest one counts.
  void update(std::shared_ptr<const RouteSnapshot> snapshot);

  // Any thread: how many endpoints the latest applied snapshot has the checker probe.
  std::size_t checked_endpoints() const { return checked_.load(std::memory_order_relaxed); }

 private:
  struct Session;
  struct CheckResult {
    bool passed = false;
    std::string reason;  // why it failed, for the "endpoint down" log line
  };

  void apply_pending();
  void apply(const RouteSnapshot* snapshot);
  void retire(Session& session);
  void record(Session& session, const CheckResult& result);
  boost::asio::awaitable<void> run_session(std::shared_ptr<Session> session);
  boost::asio::awaitable<CheckResult> check(std::shared_ptr<Session> session);

  TransitionCallback on_transition_;
  // Declared before everything that owns sockets or timers, so that it is destroyed last.
  boost::asio::io_context context_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  // Checker thread only.
  std::mt19937_64 random_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
  std::atomic<std::size_t> checked_{0};

  std::mutex pending_mutex_;
  std::shared_ptr<const RouteSnapshot> pending_;  // guarded by pending_mutex_
  bool has_pending_ = false;                      // guarded by pending_mutex_
  bool stopped_ = false;                          // guarded by pending_mutex_
  std::thread thread_;
};

}  // namespace portico::proxy
