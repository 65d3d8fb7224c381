// The upstream half of a ClientSession: picking and connecting to an endpoint (circuit
// breaker, retries to another endpoint, passive health), sending the request, reading the
// response head and streaming the response back.
#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/balancer/in_flight.h"
#include "proxy/balancer/peak_ewma.h"
#include "proxy/balancer/session_affinity.h"
#include "proxy/http/forwarding.h"
#include "proxy/net/tcp_stream.h"
#include "proxy/server/client_session_class.h"
#include "proxy/server/tunnel.h"

namespace portico::proxy::session {

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
    // Routing answered 503 before getting here when the backend has no endpoints. An
    // affinity cookie's endpoint comes first while it may take requests; a retry (avoid)
    // leaves it like any other.
    std::optional<std::size_t> choice;
    if (session_key_ && avoid == nullptr) choice = worker_.pinned_endpoint(backend, *session_key_);
    if (!choice) choice = worker_.pick_endpoint(backend, pick_hash_, avoid);
    const auto first = static_cast<uint32_t>(choice.value_or(0));
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
  // Pin the client to the endpoint that answered, unless its cookie already names it (after
  // connect attempts or retries that may not be the one first picked).
  if (backend.policy.affinity.enabled) {
    const uint64_t answered = session_cookie_key(exchange.endpoint->state->identity);
    if (session_key_ != answered) add_session_cookie(backend.policy.affinity, answered, out_);
  }
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

template awaitable<std::unique_ptr<UpstreamConnection>> ClientSession<TcpStream>::connect(
    const Backend&, uint32_t, const Endpoint*&);
template awaitable<bool> ClientSession<TcpStream>::read_response_head(UpstreamConnection&,
                                                                      std::size_t&);
template awaitable<void> ClientSession<TcpStream>::forward(const RouteTarget&, Exchange&);

}  // namespace portico::proxy::session
