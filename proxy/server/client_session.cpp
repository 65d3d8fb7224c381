#include "proxy/server/client_session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/balancer/request_hash.h"
#include "proxy/balancer/session_affinity.h"
#include "proxy/http/forwarding.h"
#include "proxy/net/tcp_stream.h"
#include "proxy/server/access_log.h"
#include "proxy/server/client_session_class.h"
#include "proxy/server/held_requests.h"

namespace portico::proxy {
namespace session {

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

  // The snapshot this request is served with stays alive until it ends, whatever is
  // published; only a held request moves on to a newer one.
  std::shared_ptr<const WorkerSnapshot> snapshot = worker_.snapshot();
  const RouteTarget* target = route(*snapshot->snapshot);
  if (target != nullptr && target->backend != nullptr && target->backend->state != nullptr) {
    // The autoscaler tells an idle Service from a busy one by this: every request counts,
    // whether it is sent, held or refused.
    target->backend->state->arrivals.fetch_add(1, std::memory_order_relaxed);
  }
  HoldOutcome hold_outcome = HoldOutcome::kRouted;
  if (holds_when_empty(target)) {
    const HoldOutcome outcome = co_await hold(snapshot, target);
    hold_outcome = outcome;
  }
  RouteCounters& counters = worker_.stats().route(target);
  // A local answer closes the connection when the client asked for it, or when an unread
  // body would otherwise be taken for the next request.
  const bool close_after_local_answer =
      request_.facts.framing != BodyFraming::kNone || request_.facts.connection_close;

  if (hold_outcome == HoldOutcome::kClientGone) {
    exchange.status = 499;  // nginx's code for "client closed the request"
    exchange.keep_client = false;
  } else if (hold_outcome == HoldOutcome::kRefused) {
    buffer_.consume(head_end);
    co_await respond_error(503, close_after_local_answer, exchange, true);
  } else if (target == nullptr) {
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
    session_key_ = requested_session_key(target->backend->policy.affinity, request_);
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
awaitable<void> ClientSession<Stream>::respond_error(uint16_t status, bool close,
                                                     Exchange& exchange, bool retry_after) {
  out_.clear();
  http::write_error_response(status, close, request_id_, out_,
                             retry_after ? kHoldRetryAfterSeconds : 0);
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

// upstream_exchange.cpp calls it; the definitions it needs from there are instantiated there.
template awaitable<void> ClientSession<TcpStream>::respond_error(uint16_t, bool, Exchange&, bool);

}  // namespace session

namespace {
namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using session::ClientSession;

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
