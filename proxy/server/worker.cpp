#include "proxy/server/worker.h"

#include <sys/socket.h>

#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "proxy/health/outlier_detector.h"
#include "proxy/server/client_session.h"

namespace portico::proxy {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr auto kTickInterval = std::chrono::milliseconds(100);
// Idle connection buffers a worker keeps for reuse (at 32 KiB each, 8 MiB at most).
constexpr std::size_t kMaxIdleBuffers = 256;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
}  // namespace

Worker::Worker(unsigned id, const ProxyOptions& options)
    : id_(id),
      options_(options),
      buffers_(options.io_buffer_bytes, kMaxIdleBuffers),
      random_state_((static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()),
      pool_(options.upstream_idle_per_endpoint, options.upstream_idle_timeout) {}

Worker::~Worker() {
  join();
  stopping_ = true;  // sessions destroyed with context_ below must not touch pool_ or tick_
}

boost::system::error_code Worker::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.set_option(ReusePort(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) bound_port_ = acceptor_.local_endpoint(ec).port();
  return ec;
}

uint16_t Worker::bound_port() const {
  return bound_port_;
}

void Worker::start(std::shared_ptr<const RouteSnapshot> initial) {
  current_ = std::make_shared<const WorkerSnapshot>(WorkerSnapshot{std::move(initial)});
  backends_.clear();
  accept_loop();
  schedule_tick();
  thread_ = std::thread([this] {
    try {
      context_.run();
    } catch (const std::exception& e) {
      // Nothing on the data plane throws by design; if something does, stop loudly.
      log::error("worker stopped by an exception",
                 {{"worker", std::to_string(id_)}, {"error", e.what()}});
      std::abort();
    }
    finished_ = true;
  });
}

void Worker::publish(std::shared_ptr<const RouteSnapshot> snapshot) {
  asio::post(context_, [this, snapshot = std::move(snapshot)]() mutable {
    current_ = std::make_shared<const WorkerSnapshot>(WorkerSnapshot{std::move(snapshot)});
    backends_.clear();
    stats_.on_snapshot_swap();
    // Right here, not on a later tick: a Service waking from zero releases its held
    // requests as soon as the snapshot with its first endpoint arrives.
    held_requests_.wake_all();
  });
}

void Worker::begin_drain() {
  asio::post(context_, [this] {
    draining_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    // Copy: closing a session may end it and erase it from the set.
    std::vector<DrainableSession*> sessions(sessions_.begin(), sessions_.end());
    for (DrainableSession* session : sessions) session->close_if_idle();
    held_requests_.wake_all();  // held requests are answered 503 rather than kept waiting
    stop_when_idle();
  });
}

void Worker::force_stop() {
  asio::post(context_, [this] {
    stopping_ = true;
    deadlines_.expire_all();
    pool_.close_all();
    context_.stop();
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

Worker::BackendRuntime& Worker::runtime(const Backend& backend) {
  if (backends_.size() <= backend.index) backends_.resize(backend.index + 1);
  BackendRuntime& runtime = backends_[backend.index];
  // Seeded per worker so that workers do not start in step.
  if (runtime.balancer == nullptr) runtime.balancer = make_load_balancer(backend, next_random());
  return runtime;
}

std::optional<std::size_t> Worker::pick_endpoint(const Backend& backend, uint64_t hash,
                                                 const Endpoint* avoid) {
  LoadBalancer& balancer = *runtime(backend).balancer;
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  const std::span<const Endpoint> endpoints(backend.endpoints);
  auto usable = [&](std::size_t index) {
    return &endpoints[index] != avoid && available(*endpoints[index].state, now_ns);
  };
  PickRequest request{hash, next_random(), now_ns};
  const std::optional<std::size_t> first = balancer.pick(endpoints, request);
  if (!first || usable(*first)) return first;
  // Ask again (a hashing balancer with a remixed key), then take the next usable one.
  constexpr int kRepicks = 2;
  for (int repick = 0; repick < kRepicks; ++repick) {
    request.hash = request.hash * 0x9E3779B97F4A7C15ull + 1;
    request.random = next_random();
    const std::optional<std::size_t> again = balancer.pick(endpoints, request);
    if (again && usable(*again)) return again;
  }
  for (std::size_t step = 1; step < endpoints.size(); ++step) {
    const std::size_t index = (*first + step) % endpoints.size();
    if (usable(index)) return index;
  }
  return first;
}

std::optional<std::size_t> Worker::pinned_endpoint(const Backend& backend, uint64_t cookie_key) {
  if (backend.cookie_index == nullptr) return std::nullopt;
  const int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  return backend.cookie_index->pinned(backend.endpoints, cookie_key, now_ns);
}

bool Worker::take_retry(const Backend& backend) {
  return runtime(backend).retry_budget.try_retry(backend.retry, std::chrono::steady_clock::now());
}

void Worker::count_request(const Backend& backend) {
  runtime(backend).retry_budget.count_request(std::chrono::steady_clock::now());
}

void Worker::make_request_id(char (&out)[32]) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = next_random();
    for (int i = 0; i < 16; ++i, bits >>= 4) out[half * 16 + i] = kHex[bits & 0xf];
  }
}

uint64_t Worker::next_random() {
  uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void Worker::session_started(DrainableSession& session) {
  sessions_.insert(&session);
}

void Worker::session_ended(DrainableSession& session) {
  sessions_.erase(&session);
  if (draining_ && !stopping_) stop_when_idle();
}

void Worker::accept_loop() {
  asio::co_spawn(
      context_,
      [this]() -> asio::awaitable<void> {
        asio::steady_timer backoff(context_);
        for (;;) {
          boost::system::error_code ec;
          tcp::endpoint peer;  // filled by accept() itself: no getpeername() per connection
          tcp::socket socket =
              co_await acceptor_.async_accept(peer, asio::redirect_error(asio::use_awaitable, ec));
          if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
            // Out of descriptors or memory: wait a little instead of spinning.
            log::warn("accept failed", {{"error", ec.message()}});
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
          }
          socket.set_option(tcp::no_delay(true), ec);
          spawn_client_session(*this, std::move(socket), peer);
        }
      },
      asio::detached);
}

void Worker::schedule_tick() {
  tick_.expires_after(kTickInterval);
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    const auto now = Deadline::Clock::now();
    deadlines_.expire_due(now);
    pool_.close_expired(now);
    schedule_tick();
  });
}

void Worker::stop_when_idle() {
  if (!sessions_.empty()) return;
  pool_.close_all();
  tick_.cancel();
  context_.stop();
}

}  // namespace portico::proxy
