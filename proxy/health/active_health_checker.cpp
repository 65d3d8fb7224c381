#include "proxy/health/active_health_checker.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"
#include "proxy/health/check_schedule.h"
#include "proxy/health/fall_rise.h"
#include "proxy/health/http_check_text.h"

namespace portico::proxy {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Enough for any sane status line; a check never reads past it.
constexpr std::size_t kMaxStatusLineBytes = 4 * 1024;

}  // namespace

// One checked endpoint: its settings, its verdict and the socket and timers of its checks.
// Checker thread only. Shared by the map and the endpoint's coroutine, so that retiring it
// from the map while a check is in flight is safe.
struct ActiveHealthChecker::Session {
  Session(asio::io_context& context, std::shared_ptr<EndpointState> endpoint_state,
          tcp::endpoint endpoint_address)
      : state(std::move(endpoint_state)),
        address(endpoint_address),
        socket(context),
        wait(context),
        deadline(context) {}

  std::shared_ptr<EndpointState> state;
  const tcp::endpoint address;
  std::string backend;  // the backend whose settings apply, for logs
  ActiveHealthCheck config;
  // The request text for config.path; null when the path cannot be sent. Shared with the
  // check in flight, which a settings change must not pull the bytes from under.
  std::shared_ptr<const std::string> request;
  FallRise verdict{true};  // Kubernetes readiness already admitted the endpoint
  tcp::socket socket;
  asio::steady_timer wait;      // until the next check
  asio::steady_timer deadline;  // the timeout of the check in flight
  uint64_t check_number = 0;    // tells a stale deadline expiry from the current one
  bool timed_out = false;
  bool retired = false;
};

ActiveHealthChecker::ActiveHealthChecker(TransitionCallback on_transition)
    : on_transition_(std::move(on_transition)),
      work_(asio::make_work_guard(context_)),
      random_(std::random_device{}()) {}

ActiveHealthChecker::~ActiveHealthChecker() {
  stop();
}

void ActiveHealthChecker::start() {
  {
    std::lock_guard lock(pending_mutex_);
    if (stopped_ || thread_.joinable()) return;
  }
  thread_ = std::thread([this] { context_.run(); });
}

void ActiveHealthChecker::stop() {
  {
    std::lock_guard lock(pending_mutex_);
    stopped_ = true;
  }
  if (!thread_.joinable()) return;
  context_.stop();
  thread_.join();
}

void ActiveHealthChecker::update(std::shared_ptr<const RouteSnapshot> snapshot) {
  std::shared_ptr<const RouteSnapshot> superseded;  // released after the unlock
  {
    std::lock_guard lock(pending_mutex_);
    if (stopped_) return;
    superseded = std::exchange(pending_, std::move(snapshot));
    if (has_pending_) return;
    has_pending_ = true;
  }
  asio::post(context_, [this] { apply_pending(); });
}

void ActiveHealthChecker::apply_pending() {
  std::shared_ptr<const RouteSnapshot> snapshot;
  {
    std::lock_guard lock(pending_mutex_);
    snapshot = std::move(pending_);
    has_pending_ = false;
  }
  apply(snapshot.get());
}

void ActiveHealthChecker::apply(const RouteSnapshot* snapshot) {
  struct Wanted {
    const Backend* backend;
    const Endpoint* endpoint;
  };
  // Keys view EndpointState::identity, which the snapshot keeps alive meanwhile.
  std::unordered_map<std::string_view, Wanted> wanted;
  if (snapshot != nullptr) {
    for (const std::shared_ptr<const Backend>& backend : snapshot->backends) {
      if (backend == nullptr || !backend->health_check.enabled) continue;
      for (const Endpoint& endpoint : backend->endpoints) {
        if (endpoint.state == nullptr) continue;
        wanted.try_emplace(endpoint.state->identity, Wanted{backend.get(), &endpoint});
      }
    }
  }

  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    retire(*it->second);
    it = sessions_.erase(it);
  }

  for (const auto& [identity, target] : wanted) {
    auto [it, inserted] = sessions_.try_emplace(std::string(identity));
    if (inserted) {
      it->second =
          std::make_shared<Session>(context_, target.endpoint->state, target.endpoint->address);
      it->second->state->check_passing.store(true, std::memory_order_relaxed);
    }
    Session& session = *it->second;
    if (session.state != target.endpoint->state) {
      // The registry made a new state object for the same address: carry the verdict over.
      session.state = target.endpoint->state;
      session.state->check_passing.store(session.verdict.passing(), std::memory_order_relaxed);
    }
    session.backend = target.backend->name;
    if (inserted || session.config != target.backend->health_check) {
      session.config = target.backend->health_check;
      std::optional<std::string> request = health_check_request(session.config.path, identity);
      session.request =
          request ? std::make_shared<const std::string>(std::move(*request)) : nullptr;
    }
    if (inserted) asio::co_spawn(context_, run_session(it->second), asio::detached);
  }
  checked_.store(sessions_.size(), std::memory_order_relaxed);
}

void ActiveHealthChecker::retire(Session& session) {
  session.retired = true;
  boost::system::error_code ignored;
  session.wait.cancel();
  session.deadline.cancel();
  session.socket.close(ignored);
  if (session.verdict.passing()) return;
  session.state->check_passing.store(true, std::memory_order_relaxed);
  log::info("endpoint no longer checked, back in rotation",
            {{"endpoint", session.state->identity}, {"backend", session.backend}});
  if (on_transition_) on_transition_(session.state->identity, true);
}

void ActiveHealthChecker::record(Session& session, const CheckResult& result) {
  if (!session.verdict.record(result.passed, session.config.fall, session.config.rise)) return;
  const bool passing = session.verdict.passing();
  session.state->check_passing.store(passing, std::memory_order_relaxed);
  if (passing) {
    log::info("endpoint up", {{"endpoint", session.state->identity}, {"backend", session.backend}});
  } else {
    log::warn("endpoint down", {{"endpoint", session.state->identity},
                                {"backend", session.backend},
                                {"reason", result.reason}});
  }
  if (on_transition_) on_transition_(session.state->identity, passing);
}

asio::awaitable<void> ActiveHealthChecker::run_session(std::shared_ptr<Session> session) {
  session->wait.expires_after(first_check_delay(session->config.interval, random_));
  for (;;) {
    boost::system::error_code ec;
    co_await session->wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (session->retired) co_return;
    const auto started = std::chrono::steady_clock::now();
    const CheckResult result = co_await check(session);
    if (session->retired) co_return;
    record(*session, result);
    // Start to start, so that a slow check does not stretch the period.
    session->wait.expires_at(started + jittered_interval(session->config.interval, random_));
  }
}

asio::awaitable<ActiveHealthChecker::CheckResult> ActiveHealthChecker::check(
    std::shared_ptr<Session> session) {
  Session& s = *session;
  // Copies: apply() may change the settings while this check is suspended.
  const ActiveHealthCheck config = s.config;
  const std::shared_ptr<const std::string> request = s.request;
  if (config.kind == ActiveHealthCheck::Kind::kHttp && request == nullptr) {
    // The path itself stays out of the reason: it may hold the very bytes that made it
    // unsendable, line breaks among them.
    co_return CheckResult{false, "the check path is not a sendable request target"};
  }

  const uint64_t number = ++s.check_number;
  s.timed_out = false;
  s.deadline.expires_after(config.timeout);
  s.deadline.async_wait([session, number](const boost::system::error_code& ec) {
    if (ec || session->check_number != number) return;
    session->timed_out = true;
    boost::system::error_code ignored;
    session->socket.close(ignored);
  });
  // Whatever happens below, the deadline and the connection end with the check.
  struct Finish {
    Session& s;
    ~Finish() {
      boost::system::error_code ignored;
      s.deadline.cancel();
      s.socket.close(ignored);
    }
  } finish{s};
  const auto failed = [&s, &config](std::string_view step, const boost::system::error_code& ec) {
    if (s.timed_out) {
      return CheckResult{false, "timed out after " + std::to_string(config.timeout.count()) +
                                    " ms while " + std::string(step)};
    }
    return CheckResult{false, std::string(step) + ": " + ec.message()};
  };

  boost::system::error_code ec;
  co_await s.socket.async_connect(s.address, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("connecting", ec);
  if (config.kind == ActiveHealthCheck::Kind::kTcp) co_return CheckResult{true, {}};

  co_await asio::async_write(s.socket, asio::buffer(*request),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return failed("sending the request", ec);

  std::array<char, kMaxStatusLineBytes> buffer;
  std::size_t size = 0;
  for (;;) {
    const std::size_t n =
        co_await s.socket.async_read_some(asio::buffer(buffer.data() + size, buffer.size() - size),
                                          asio::redirect_error(asio::use_awaitable, ec));
    size += n;
    const StatusLine line = parse_status_line(std::string_view(buffer.data(), size));
    if (line.state == StatusLine::State::kComplete) {
      if (line.status >= config.status_min && line.status <= config.status_max) {
        co_return CheckResult{true, {}};
      }
      co_return CheckResult{false, "status " + std::to_string(line.status)};
    }
    if (line.state == StatusLine::State::kMalformed || size == buffer.size()) {
      co_return CheckResult{false, "malformed status line"};
    }
    if (ec == asio::error::eof && !s.timed_out) {
      co_return CheckResult{false, "connection closed before the status line"};
    }
    if (ec) co_return failed("reading the status line", ec);
  }
}

}  // namespace portico::proxy
