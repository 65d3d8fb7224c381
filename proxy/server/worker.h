#pragma once
// One data-plane worker: a thread running its own io_context with its own SO_REUSEPORT
// acceptor, connection pool, statistics and copy of the current route snapshot. Workers
// share nothing on the request path; the only cross-thread traffic is posting a new
// snapshot pointer, a drain request or a stats copy request into the worker's io_context.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "proxy/balancer/load_balancer.h"
#include "proxy/balancer/session_affinity.h"
#include "proxy/metrics/worker_stats.h"
#include "proxy/net/buffer_pool.h"
#include "proxy/net/deadline.h"
#include "proxy/server/held_requests.h"
#include "proxy/server/proxy_options.h"
#include "proxy/snapshot/route_snapshot.h"
#include "proxy/upstream/connection_pool.h"
#include "proxy/upstream/retry_budget.h"

namespace portico::proxy {

// A snapshot as one worker holds it. Requests copy this pointer, whose count only this
// worker touches, instead of the shared snapshot's (which every worker would contend on).
struct WorkerSnapshot {
  std::shared_ptr<const RouteSnapshot> snapshot;
};

// Lets the worker close idle keep-alive connections when draining. Worker thread only.
class DrainableSession {
 public:
  virtual void close_if_idle() = 0;

 protected:
  ~DrainableSession() = default;
};

class Worker {
 public:
  Worker(unsigned id, const ProxyOptions& options);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Control thread, before start(): binds the listener so errors surface synchronously.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
  uint16_t bound_port() const;
  void start(std::shared_ptr<const RouteSnapshot> initial);

  // Any thread: hand over work to the worker thread; never blocks.
  void publish(std::shared_ptr<const RouteSnapshot> snapshot);
  void begin_drain();
  void force_stop();
  template <typename Function>
  void post(Function&& function);
  void join();
  bool finished() const { return finished_.load(); }

  // Worker thread only, for sessions.
  std::shared_ptr<const WorkerSnapshot> snapshot() const { return current_; }
  const ProxyOptions& options() const { return options_; }
  ConnectionPool& pool() { return pool_; }
  BufferPool& buffers() { return buffers_; }
  WorkerStats& stats() { return stats_; }
  DeadlineList& deadlines() { return deadlines_; }
  // Requests waiting for their Service's first endpoint; woken when a snapshot is installed.
  HeldRequestList& held_requests() { return held_requests_; }
  bool draining() const { return draining_; }
  uint16_t port() const { return bound_port_; }
  // The endpoint of `backend` (current snapshot) for a request whose policy hash is `hash`:
  // an index into backend.endpoints, nullopt when it has none. The worker's own balancer
  // for the backend is made on first use after each snapshot swap. Endpoints failing active
  // checks or ejected by outlier detection, and `avoid` (the endpoint a retry leaves), are
  // passed over while any other one is available; when none is, the balancer's choice
  // stands (Envoy's panic mode: better a likely failure than a certain 503).
  std::optional<std::size_t> pick_endpoint(const Backend& backend, uint64_t hash,
                                           const Endpoint* avoid = nullptr);
  // The endpoint of `backend` (any snapshot this worker still serves) that a request's
  // affinity cookie, whose key is `cookie_key`, pins it to, while that endpoint may take
  // requests (SessionCookieIndex::pinned); nullopt otherwise (or when the backend has no
  // cookie index), and pick_endpoint() balances the request.
  std::optional<std::size_t> pinned_endpoint(const Backend& backend, uint64_t cookie_key);
  // Whether the backend's retry budget has room for one more retry on this worker; counts
  // the retry when it has.
  bool take_retry(const Backend& backend);
  // Counts a first attempt towards the backend's retry budget.
  void count_request(const Backend& backend);
  // 32 lowercase hex characters.
  void make_request_id(char (&out)[32]);
  void session_started(DrainableSession& session);
  void session_ended(DrainableSession& session);
  boost::asio::io_context& context() { return context_; }

 private:
  void accept_loop();
  void schedule_tick();
  void stop_when_idle();
  uint64_t next_random();

  // Declaration order matters. Sessions are coroutine frames owned by context_: when the
  // worker is destroyed with sessions still suspended (drain timeout), destroying context_
  // destroys them, and their destructors use the members declared above context_. Those
  // must therefore outlive it, while the I/O objects below it must die before it.
  const unsigned id_;
  const ProxyOptions& options_;
  std::shared_ptr<const WorkerSnapshot> current_;
  // Per backend of the current snapshot (by Backend::index), this worker's own state.
  struct BackendRuntime {
    std::unique_ptr<LoadBalancer> balancer;
    RetryBudget retry_budget;
  };
  BackendRuntime& runtime(const Backend& backend);
  std::vector<BackendRuntime> backends_;
  WorkerStats stats_;
  DeadlineList deadlines_;
  HeldRequestList held_requests_;
  std::unordered_set<DrainableSession*> sessions_;
  BufferPool buffers_;  // before context_: buffers of destroyed sessions come back here
  // splitmix64: request IDs and round-robin starts need spread, not cryptographic strength,
  // and this is a handful of instructions against mt19937's hundreds.
  uint64_t random_state_;
  bool draining_ = false;
  bool stopping_ = false;  // force_stop() ran: sessions ending now must not restart anything

  // Only this worker's thread does I/O on its sockets, so the reactor needs no locking; posts
  // from other threads still go through the (locked) scheduler queue.
  boost::asio::io_context context_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  boost::asio::ip::tcp::acceptor acceptor_{context_};
  boost::asio::steady_timer tick_{context_};
  ConnectionPool pool_;
  uint16_t bound_port_ = 0;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

template <typename Function>
void Worker::post(Function&& function) {
  boost::asio::post(context_, std::forward<Function>(function));
}

}  // namespace portico::proxy
