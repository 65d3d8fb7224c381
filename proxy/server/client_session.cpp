#include "proxy/server/client_session.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "proxy/balancer/in_flight.h"
#include "proxy/balancer/peak_ewma.h"
#include "proxy/balancer/request_hash.h"
#include "proxy/health/outlier_detector.h"
#include "proxy/http/forwarding.h"
#include "proxy/http/head_parser.h"
#include "proxy/net/address_text.h"
#include "proxy/net/tcp_stream.h"
#include "proxy/server/access_log.h"
#include "proxy/server/body_pump.h"
#include "proxy/server/tunnel.h"
#include "proxy/server/worker.h"

namespace portico::proxy {
namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using http::BodyFraming;

namespace {

enum class Phase : uint8_t {
  kIdle,              // keep-alive, waiting for the first byte of a request
  kClientHeader,      // reading a request head
  kClientBody,        // reading the request body / writing to the client
  kConnect,           // connecting upstream
  kUpstreamResponse,  // waiting for the upstream response
  kTunnel,
};

constexpr std::size_t kTypicalFieldCount = 24;

// RFC 9110 9.2.2: a request that may be sent twice without a different outcome.
bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE" ||
         method == "PUT" || method == "DELETE";
}

// A limit of 0 is no limit.
bool over_limit(const std::atomic<int64_t>& gauge, uint32_t limit) {
  return limit != 0 && gauge.load(std::memory_order_relaxed) >= static_cast<int64_t>(limit);
}

int64_t steady_nanoseconds() {
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
  awaitable<void> respond_error(uint16_t status, bool close, Exchange& exchange);
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

template <typename Stream>
awaitable<bool> ClientSession<Stream>::read_request_head(std::size_t& head_end) {
  std::size_t scanned = 0;
  if (buffer_.empty()) {
    arm(Phase::kIdle, options_.client_idle_timeout);
  } else {
    arm(Phase::kClientHeader, options_.client_header_timeout);
  }
  for (;;) {
    head_end = http::find_head_end(buffer_.readable(), scanned);
    if (head_end != 0) co_return true;
    // A partial head is checked as it arrives, so garbage (a bare-LF head that will never
    // end, say) is refused at once rather than after the header timeout. head_end stays 0:
    // serve_one() answers the error.
    if (!buffer_.empty() &&
        http::parse_request_head(buffer_.readable(), limits_, request_).status ==
            http::ParseStatus::kError) {
      co_return true;
    }
    scanned = buffer_.size();
    if (buffer_.size() >= options_.max_head_bytes || buffer_.full()) co_return true;  // 431 next
    if (worker_.draining() && phase_ == Phase::kIdle) co_return false;
    boost::system::error_code ec;
    const std::size_t n = co_await client_.read_some(buffer_.writable(), ec);
    if (ec || deadline_.expired()) {
      if (phase_ == Phase::kClientHeader && deadline_.expired()) {
        Exchange exchange;
        co_await respond_error(408, true, exchange);
      }
      co_return false;
    }
    buffer_.commit(n);
    if (phase_ == Phase::kIdle) arm(Phase::kClientHeader, options_.client_header_timeout);
  }
}

template <typename Stream>
awaitable<bool> ClientSession<Stream>::serve_one() {
  std::size_t head_end = 0;
  const bool got_head = co_await read_request_head(head_end);
  if (!got_head) co_return false;
  started_ = Deadline::Clock::now();
  request_.clear();
  request_id_ = {};
  Exchange exchange;

  const std::string_view head_bytes =
      head_end == 0 ? buffer_.readable() : buffer_.readable().substr(0, head_end);
  const http::ParseResult parsed = http::parse_request_head(head_bytes, limits_, request_);
  remember_for_access_log();
  if (head_end == 0 || parsed.status != http::ParseStatus::kComplete) {
    // Without a complete head the parser's verdict on the partial one decides (431 when it
    // is too large); a head that parses as incomplete despite its end marker is malformed.
    const uint16_t status = parsed.error_status != 0 ? parsed.error_status : 400;
    RouteCounters& counters = worker_.stats().route(nullptr);
    co_await respond_error(status, true, exchange);
    finish(nullptr, counters, exchange);
    co_return false;
  }
  request_id_ = request_.x_request_id;
  if (request_id_.empty()) {
    worker_.make_request_id(generated_id_);
    request_id_ = std::string_view(generated_id_, sizeof generated_id_);
  }
  is_head_request_ = request_.method == "HEAD";
  replayable_ = request_.facts.framing == BodyFraming::kNone && is_idempotent(request_.method);

  // The snapshot this request started with stays alive until it ends, whatever is published.
  const std::shared_ptr<const WorkerSnapshot> snapshot = worker_.snapshot();
  const RouteSnapshot& routes = *snapshot->snapshot;
  const RouteTarget* target = routes.routes.match(request_.host, request_.path);
  if (target == nullptr) target = routes.default_target.get();
  RouteCounters& counters = worker_.stats().route(target);
  // A local answer closes the connection when the client asked for it, or when an unread
  // body would otherwise be taken for the next request.
  const bool close_after_local_answer =
      request_.facts.framing != BodyFraming::kNone || request_.facts.connection_close;

  if (target == nullptr) {
    buffer_.consume(head_end);
    co_await respond_error(404, close_after_local_answer, exchange);
  } else if (target->backend == nullptr || target->backend->endpoints.empty()) {
    buffer_.consume(head_end);
    co_await respond_error(503, close_after_local_answer, exchange);
  } else if (options_.max_body_bytes != 0 &&
             request_.facts.framing == BodyFraming::kContentLength &&
             request_.facts.content_length > options_.max_body_bytes) {
    buffer_.consume(head_end);
    co_await respond_error(413, true, exchange);
  } else {
    http::ForwardContext context;
    context.client_ip = peer_ip_;
    context.listener_port = worker_.port();
    context.request_id = request_id_;
    context.tunnel = request_.facts.connection_upgrade && !request_.facts.upgrade.empty();
    // From the head, while its views are alive: the body reuses buffer_.
    pick_hash_ = request_hash(target->backend->policy, request_, peer_address_);
    upstream_head_.clear();
    http::write_upstream_request(request_, context, upstream_head_);
    // The head's views die here: buffer_ is reused for the body.
    buffer_.consume(head_end);
    int64_t& inflight = worker_.stats().inflight(*target->backend);
    ++inflight;
    co_await forward(*target, exchange);
    --inflight;
  }
  finish(target, counters, exchange);
  co_return exchange.keep_client && !worker_.draining();
}

template <typename Stream>
awaitable<std::unique_ptr<UpstreamConnection>> ClientSession<Stream>::connect(
    const Backend& backend, uint32_t first, const Endpoint*& chosen) {
  const std::size_t endpoint_count = backend.endpoints.size();
  const unsigned allowed = backend.retry.on_connect_failure ? options_.connect_attempts : 1;
  const unsigned attempts = std::min<unsigned>(allowed, static_cast<unsigned>(endpoint_count));
  for (unsigned attempt = 0; attempt < attempts; ++attempt) {
    const Endpoint& endpoint = backend.endpoints[(first + attempt) % endpoint_count];
    chosen = &endpoint;
    if (auto pooled = worker_.pool().take(endpoint.address)) co_return pooled;

    auto connection = std::make_unique<UpstreamConnection>(TcpStream::Socket(worker_.context()),
                                                           endpoint.address, worker_.buffers());
    connection->counted_for.hold(backend.state);
    upstream_ = connection.get();
    arm(Phase::kConnect, options_.connect_timeout);
    boost::system::error_code ec;
    co_await connection->stream.socket().async_connect(
        endpoint.address, asio::redirect_error(asio::use_awaitable, ec));
    upstream_ = nullptr;
    if (!ec && !deadline_.expired()) {
      connection->stream.socket().set_option(tcp::no_delay(true), ec);
      co_return connection;
    }
    worker_.stats().upstream_connect_error();
    note_outcome(backend, endpoint, true);
  }
  co_return nullptr;
}

template <typename Stream>
awaitable<bool> ClientSession<Stream>::read_response_head(UpstreamConnection& upstream,
                                                          std::size_t& head_end) {
  FlatBuffer& buffer = upstream.buffer;
  for (;;) {
    std::size_t scanned = 0;
    while ((head_end = http::find_head_end(buffer.readable(), scanned)) == 0) {
      scanned = buffer.size();
      if (buffer.size() >= options_.max_head_bytes || buffer.full()) co_return false;
      arm(Phase::kUpstreamResponse, response_timeout_);
      boost::system::error_code ec;
      const std::size_t n = co_await upstream.stream.read_some(buffer.writable(), ec);
      if (ec || deadline_.expired()) co_return false;
      buffer.commit(n);
    }
    response_.clear();
    const auto parsed = http::parse_response_head(buffer.readable().substr(0, head_end), limits_,
                                                  is_head_request_ ? "HEAD" : "GET", response_);
    if (parsed.status != http::ParseStatus::kComplete) co_return false;
    // Interim responses: Portico answered 100-continue itself; others carry nothing the
    // client asked for. 101 is the final answer to an Upgrade.
    if (response_.status >= 200 || response_.status == 101) co_return true;
    buffer.consume(head_end);
  }
}

template <typename Stream>
awaitable<void> ClientSession<Stream>::forward(const RouteTarget& target, Exchange& exchange) {
  const Backend& backend = *target.backend;
  const http::MessageFacts request_facts = request_.facts;
  const uint8_t client_minor = request_.version_minor;
  const bool bodyless = request_facts.framing == BodyFraming::kNone;
  BodySpec request_body{request_facts.framing, request_facts.content_length,
                        options_.max_body_bytes, false};

  // The circuit breaker: past a Service's limits, answer at once rather than queue.
  BackendState* counters = backend.state.get();
  const CircuitBreaker& breaker = backend.circuit_breaker;
  if (counters != nullptr && over_limit(counters->requests, breaker.max_requests)) {
    counters->breaker_rejections.fetch_add(1, std::memory_order_relaxed);
    co_await respond_error(503, !bodyless, exchange);
    co_return;
  }
  const HeldCount in_service(counters != nullptr ? &counters->requests : nullptr);
  worker_.count_request(backend);

  std::unique_ptr<UpstreamConnection> upstream;
  std::size_t head_end = 0;
  InFlightRequest in_flight;
  const RetryPolicy& retry = backend.retry;
  uint32_t retries_left = retry.retries;
  auto take_retry = [&] {
    if (retries_left == 0 || !replayable_ || !worker_.take_retry(backend)) return false;
    --retries_left;
    if (counters != nullptr) counters->retries.fetch_add(1, std::memory_order_relaxed);
    return true;
  };
  const Endpoint* avoid = nullptr;  // the endpoint a retry leaves
  // A reused keep-alive connection may have been closed by the upstream just as we sent on
  // it; a body-less request is then safely retried once on a fresh connection.
  for (uint32_t attempt = 0;; ++attempt) {
    response_timeout_ =
        retry.per_try_timeout.count() != 0 ? retry.per_try_timeout : options_.upstream_timeout;
    // The common case, a pooled connection to the chosen endpoint, needs no coroutine call.
    // Routing answered 503 before getting here when the backend has no endpoints.
    const auto first =
        static_cast<uint32_t>(worker_.pick_endpoint(backend, pick_hash_, avoid).value_or(0));
    const Endpoint* endpoint = &backend.endpoints[first];
    upstream = worker_.pool().take(endpoint->address);
    if (upstream == nullptr) {
      if (counters != nullptr && (over_limit(counters->pending, breaker.max_pending_requests) ||
                                  over_limit(counters->connections, breaker.max_connections))) {
        counters->breaker_rejections.fetch_add(1, std::memory_order_relaxed);
        co_await respond_error(503, !bodyless, exchange);
        co_return;
      }
      const HeldCount pending(counters != nullptr ? &counters->pending : nullptr);
      upstream = co_await connect(backend, first, endpoint);
    }
    exchange.endpoint = endpoint;
    if (upstream == nullptr) {
      co_await respond_error(502, !bodyless, exchange);
      co_return;
    }
    upstream_ = upstream.get();
    in_flight.track(*endpoint->state);
    const bool reused = upstream->reused;
    if (request_facts.expect_continue && !bodyless && buffer_.empty()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      arm(Phase::kClientBody, options_.client_body_timeout);
      boost::system::error_code ec;
      co_await client_.write_all(asio::buffer(kContinue), ec);
      if (ec || deadline_.expired()) {
        exchange.keep_client = false;
        upstream_ = nullptr;
        co_return;
      }
    }
    phase_ = Phase::kClientBody;
    const int64_t sent_ns = steady_nanoseconds();
    PumpStats sent;
    const PumpResult pumped =
        co_await pump_body(buffer_, client_, upstream->stream, upstream_head_, request_body,
                           decoder_, client_to_upstream(), sent);
    if (pumped == PumpResult::kDone) {
      const bool got_head = co_await read_response_head(*upstream, head_end);
      if (got_head) {
        const int64_t now_ns = steady_nanoseconds();
        record_latency(*endpoint->state, now_ns - sent_ns, now_ns);
        const bool server_error = response_.status >= 500;
        note_outcome(backend, *endpoint, server_error);
        const bool retry_status = std::find(retry.on_statuses.begin(), retry.on_statuses.end(),
                                            response_.status) != retry.on_statuses.end();
        if (retry_status && take_retry()) {
          // The response is dropped unread, with its connection.
          upstream_ = nullptr;
          upstream->stream.close();
          avoid = endpoint;
          continue;
        }
        break;
      }
    }
    upstream_ = nullptr;
    upstream->stream.close();
    const bool upstream_timed_out = deadline_.expired() && phase_ == Phase::kUpstreamResponse;
    if (pumped == PumpResult::kDone && reused && bodyless && !upstream_timed_out &&
        upstream->buffer.empty() && attempt == 0) {
      continue;
    }
    if (pumped == PumpResult::kDone && upstream->buffer.empty()) {
      // Reset or silent before any response byte: the endpoint's fault.
      note_outcome(backend, *endpoint, true);
      const bool retriable =
          upstream_timed_out ? retry.per_try_timeout.count() != 0 : retry.on_reset;
      if (retriable && take_retry()) {
        avoid = endpoint;
        continue;
      }
    }
    switch (pumped) {
      case PumpResult::kTooLarge:
        co_await respond_error(413, true, exchange);
        break;
      case PumpResult::kBadFraming:
        co_await respond_error(400, true, exchange);
        break;
      case PumpResult::kSourceFailed:
        if (deadline_.expired()) {
          co_await respond_error(408, true, exchange);
        } else {
          exchange.status = 499;  // nginx's code for "client closed the request"
          exchange.keep_client = false;
        }
        break;
      default:
        co_await respond_error(upstream_timed_out ? 504 : 502, true, exchange);
        break;
    }
    co_return;
  }

  // The response head is in upstream->buffer[0, head_end).
  const bool switching = response_.status == 101;
  const bool dechunk = client_minor == 0 && response_.facts.framing == BodyFraming::kChunked;
  bool keep_client = !request_facts.connection_close && !worker_.draining() && !switching &&
                     response_.facts.framing != BodyFraming::kUntilClose && !dechunk;
  if (client_minor == 0) {
    keep_client = keep_client && request_facts.connection_keep_alive;
  }
  const bool keep_upstream = !switching && !response_.facts.connection_close &&
                             response_.facts.framing != BodyFraming::kUntilClose &&
                             !request_facts.connection_upgrade;
  http::ResponseContext context;
  context.keep_client_alive = keep_client;
  context.client_version_minor = client_minor;
  context.dechunk = dechunk;
  context.request_id = request_id_;
  out_.clear();
  http::write_client_response(response_, context, out_);
  exchange.status = response_.status;
  exchange.keep_client = keep_client;
  const BodySpec response_body{response_.facts.framing, response_.facts.content_length, 0, dechunk};
  upstream->buffer.consume(head_end);

  if (switching) {
    arm(Phase::kTunnel, options_.tunnel_idle_timeout);
    boost::system::error_code ec;
    co_await client_.write_all(asio::buffer(out_), ec);
    if (!ec && !deadline_.expired()) {
      exchange.bytes_sent =
          co_await run_tunnel(client_, buffer_, upstream->stream, upstream->buffer, deadline_,
                              options_.tunnel_idle_timeout);
    }
    upstream_ = nullptr;
    exchange.keep_client = false;
    co_return;
  }

  phase_ = Phase::kUpstreamResponse;
  PumpStats received;
  const PumpResult pumped =
      co_await pump_body(upstream->buffer, upstream->stream, client_, out_, response_body, decoder_,
                         upstream_to_client(), received);
  exchange.bytes_sent = received.bytes_written;
  upstream_ = nullptr;
  if (pumped != PumpResult::kDone) {
    // The head may already be out: the only honest signal left is closing the connection.
    exchange.keep_client = false;
    upstream->stream.close();
    co_return;
  }
  if (keep_upstream && upstream->buffer.empty()) {
    worker_.pool().give_back(std::move(upstream));
  } else {
    upstream->stream.close();
  }
}

template <typename Stream>
awaitable<void> ClientSession<Stream>::respond_error(uint16_t status, bool close,
                                                     Exchange& exchange) {
  out_.clear();
  http::write_error_response(status, close, request_id_, out_);
  exchange.status = status;
  exchange.keep_client = !close;
  arm(Phase::kClientBody, options_.client_body_timeout);
  boost::system::error_code ec;
  co_await client_.write_all(asio::buffer(out_), ec);
  if (ec || deadline_.expired()) exchange.keep_client = false;
}

template <typename Stream>
void ClientSession<Stream>::finish(const RouteTarget* target, RouteCounters& counters,
                                   const Exchange& exchange) {
  const auto elapsed = Deadline::Clock::now() - started_;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  counters.record(exchange.status, seconds);
  if (options_.access_log) {
    AccessLogEntry entry{peer_ip_,
                         log_method_,
                         log_target_,
                         log_host_,
                         log_version_minor_,
                         exchange.status,
                         exchange.bytes_sent,
                         seconds,
                         request_id_,
                         target != nullptr ? std::string_view(target->ingress) : std::string_view(),
                         exchange.endpoint != nullptr ? &exchange.endpoint->address : nullptr};
    write_access_log(entry, options_.access_log_json);
  }
}

template <typename Stream>
awaitable<void> run_client_session(std::unique_ptr<ClientSession<Stream>> session) {
  co_await session->run();
}

}  // namespace

void spawn_client_session(Worker& worker, tcp::socket socket, const tcp::endpoint& peer) {
  auto session =
      std::make_unique<ClientSession<TcpStream>>(worker, TcpStream(std::move(socket)), peer);
  asio::co_spawn(worker.context(), run_client_session(std::move(session)), asio::detached);
}

}  // namespace portico::proxy
