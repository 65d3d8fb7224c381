#pragma once
// The ClientSession class, shared by its two halves: client_session.cpp (the client side:
// reading and routing a request, local answers, accounting) and upstream_exchange.cpp (the
// upstream side: connecting, retries, the response). Internal to proxy/server.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/log.h"
#include "proxy/health/outlier_detector.h"
#include "proxy/http/chunked_decoder.h"
#include "proxy/http/head_parser.h"
#include "proxy/net/address_text.h"
#include "proxy/net/deadline.h"
#include "proxy/net/flat_buffer.h"
#include "proxy/server/body_pump.h"
#include "proxy/server/worker.h"
#include "proxy/upstream/upstream_connection.h"

namespace portico::proxy::session {
namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using http::BodyFraming;

enum class Phase : uint8_t {
  kIdle,              // keep-alive, waiting for the first byte of a request
  kClientHeader,      // reading a request head
  kClientBody,        // reading the request body / writing to the client
  kConnect,           // connecting upstream
  kUpstreamResponse,  // waiting for the upstream response
  kTunnel,
  kHeld,  // waiting for the Service's first endpoint (scale from zero), request head parsed
};

// How holding a request ended (request_hold.cpp).
enum class HoldOutcome : uint8_t {
  kRouted,      // serve it as a fresh request against the (new) snapshot and target
  kRefused,     // queue full, timed out or draining: 503 with Retry-After
  kClientGone,  // the client left while it was held: nothing to answer
};

inline constexpr std::size_t kTypicalFieldCount = 24;

// RFC 9110 9.2.2: a request that may be sent twice without a different outcome.
inline bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE" ||
         method == "PUT" || method == "DELETE";
}

// A limit of 0 is no limit.
inline bool over_limit(const std::atomic<int64_t>& gauge, uint32_t limit) {
  return limit != 0 && gauge.load(std::memory_order_relaxed) >= static_cast<int64_t>(limit);
}

inline int64_t steady_nanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// What happened to one request, for the error response, metrics and the access log.
struct Exchange {
  uint16_t status = 0;
  bool keep_client = true;
  uint64_t bytes_sent = 0;
  const Endpoint* endpoint = nullptr;
};

// One client connection, served request after request (keep-alive, pipelining) until it
// closes. Worker thread only; owned by its coroutine frame.
template <typename Stream>
class ClientSession final : public DeadlineOwner, public DrainableSession {
 public:
  ClientSession(Worker& worker, Stream stream, tcp::endpoint peer)
      : worker_(worker),
        options_(worker.options()),
        client_(std::move(stream)),
        peer_address_(peer.address()),
        peer_ip_(address_text(peer_address_)),
        buffer_(worker.buffers()),
        deadline_(worker.deadlines(), *this),
        limits_{options_.max_head_bytes, options_.max_header_fields} {
    // Typical heads fit without the vectors growing field by field on the first request.
    request_.headers.reserve(kTypicalFieldCount);
    response_.headers.reserve(kTypicalFieldCount);
    worker_.session_started(*this);
    worker_.stats().connection_opened();
  }

  ~ClientSession() {
    client_.close();
    worker_.stats().connection_closed();
    worker_.session_ended(*this);
  }

  awaitable<void> run() {
    // g++ 12 miscompiles co_await inside a loop condition; keep awaits in plain statements.
    for (;;) {
      const bool keep_open = co_await serve_one();
      if (!keep_open) break;
    }
    co_return;
  }

  void on_deadline() override {
    client_.cancel();
    if (upstream_ != nullptr) upstream_->stream.cancel();
  }

  void close_if_idle() override {
    if (phase_ == Phase::kIdle) client_.cancel();
  }

 private:
  // Serves one request; false when the client connection must close.
  awaitable<bool> serve_one();
  awaitable<bool> read_request_head(std::size_t& head_end);
  // The target of the parsed request in `routes`; null answers 404.
  const RouteTarget* route(const RouteSnapshot& routes) const {
    const RouteTarget* target = routes.routes.match(request_.host, request_.path);
    return target != nullptr ? target : routes.default_target.get();
  }
  // Holds the request while `target`'s Service has no endpoint and holds requests
  // (holds_when_empty), its head unconsumed and its body unread. On kRouted, `snapshot` and
  // `target` are what to serve it with: the worker's snapshot when it woke, in which the
  // target no longer holds.
  awaitable<HoldOutcome> hold(std::shared_ptr<const WorkerSnapshot>& snapshot,
                              const RouteTarget*& target);
  awaitable<void> forward(const RouteTarget& target, Exchange& exchange);
  // Tries up to connect_attempts endpoints from index `first` on (a pooled connection
  // first, else a new one); null when none accepts.
  awaitable<std::unique_ptr<UpstreamConnection>> connect(const Backend& backend, uint32_t first,
                                                         const Endpoint*& chosen);
  awaitable<bool> read_response_head(UpstreamConnection& upstream, std::size_t& head_end);
  // Passive health: one attempt's outcome against its endpoint.
  void note_outcome(const Backend& backend, const Endpoint& endpoint, bool failed) {
    if (record_outcome(backend, *endpoint.state, failed, steady_nanoseconds())) {
      log::warn("endpoint ejected after consecutive failures",
                {{"backend", backend.name},
                 {"endpoint", endpoint.state->identity},
                 {"ejections", std::to_string(endpoint.state->ejections.load())}});
    }
  }
  // With `retry_after`, the answer carries Retry-After (a refused hold).
  awaitable<void> respond_error(uint16_t status, bool close, Exchange& exchange,
                                bool retry_after = false);
  void finish(const RouteTarget* target, RouteCounters& counters, const Exchange& exchange);

  void remember_for_access_log() {
    if (!options_.access_log) return;
    log_method_.assign(request_.method);
    log_target_.assign(request_.target);
    log_host_.assign(request_.host);
    log_version_minor_ = request_.version_minor;
  }

  void arm(Phase phase, Deadline::Clock::duration timeout) {
    phase_ = phase;
    deadline_.arm(timeout);
  }
  PumpTimeouts client_to_upstream() {
    return {&deadline_, options_.client_body_timeout, options_.upstream_timeout};
  }
  PumpTimeouts upstream_to_client() {
    return {&deadline_, options_.upstream_timeout, options_.client_body_timeout};
  }

  Worker& worker_;
  const ProxyOptions& options_;
  Stream client_;
  boost::asio::ip::address peer_address_;
  std::string peer_ip_;
  uint64_t pick_hash_ = 0;  // the current request's balancing hash (hashing policies only)
  // The endpoint key in the current request's affinity cookie (session_affinity.h); none
  // when its backend has no affinity or the request carries no valid cookie.
  std::optional<uint64_t> session_key_;
  FlatBuffer buffer_;
  Deadline deadline_;
  Phase phase_ = Phase::kIdle;
  http::HeadLimits limits_;
  http::RequestHead request_;
  http::ResponseHead response_;
  http::ChunkedDecoder decoder_;
  std::string upstream_head_;  // serialised request head for the upstream, capacity reused
  std::string out_;            // serialised response heads, capacity reused
  // Copies for the access log: the head's views do not survive the body.
  std::string log_method_, log_target_, log_host_;
  uint8_t log_version_minor_ = 1;
  UpstreamConnection* upstream_ = nullptr;  // the one in use, so a timeout can cancel it
  char generated_id_[32];
  std::string_view request_id_;
  Deadline::Clock::time_point started_;
  bool is_head_request_ = false;
  // Bodyless and idempotent: safe to send to another endpoint after a reset or a bad status.
  bool replayable_ = false;
  std::chrono::milliseconds response_timeout_{0};  // this attempt's wait for a response head
};

}  // namespace portico::proxy::session
