#include "proxy/server/held_requests.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <string_view>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace portico::proxy {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Whether the client's side of the connection is still open. Readiness alone cannot tell a
// closing client from one sending more (a body, a pipelined request), and reading would
// consume the body: the kernel's TCP state can, without touching the data.
bool client_connected(tcp::socket& client) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(client.native_handle(), IPPROTO_TCP, TCP_INFO, &info, &length) != 0) {
    return false;
  }
  return info.tcpi_state == TCP_ESTABLISHED;
}

}  // namespace

bool HoldSlot::take(std::shared_ptr<BackendState> state, uint32_t queue_size) {
  if (state == state_) return state_ != nullptr;
  release();
  if (state == nullptr) return false;
  // A bounded increment shared by every worker: the count never exceeds queue_size, and a
  // refused request never touched it.
  int64_t held = state->held.load(std::memory_order_relaxed);
  do {
    if (held >= static_cast<int64_t>(queue_size)) return false;
  } while (!state->held.compare_exchange_weak(held, held + 1, std::memory_order_relaxed));
  state_ = std::move(state);
  return true;
}

void HoldSlot::release() {
  if (state_ == nullptr) return;
  state_->held.fetch_sub(1, std::memory_order_relaxed);
  state_.reset();
}

HeldRequest::HeldRequest(HeldRequestList& list, tcp::socket& client)
    : list_(list), client_(client), timer_(client.get_executor()) {
  list_.link(*this);
}

HeldRequest::~HeldRequest() {
  list_.unlink(*this);
  if (watch_ != nullptr) watch_->request = nullptr;
  if (watching_) {
    // The session reads or writes the socket next: leave no readiness wait behind on it.
    boost::system::error_code ignored;
    client_.cancel(ignored);
  }
}

asio::awaitable<HoldWake> HeldRequest::wait(std::chrono::steady_clock::time_point give_up) {
  if (!watching_ && !client_gone_) {
    // A client that closed before the hold began left no readiness edge to wait for.
    if (client_connected(client_)) {
      watch_client();
    } else {
      client_gone_ = true;
    }
  }
  if (client_gone_) co_return HoldWake::kClientGone;
  woken_ = false;
  timer_.expires_at(give_up);
  boost::system::error_code ec;
  co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (client_gone_) co_return HoldWake::kClientGone;
  // Woken in the same turn as the timer expired: look at the snapshot first; if there is
  // still nothing, the next wait ends at once as timed out.
  if (woken_) co_return HoldWake::kWoken;
  if (std::chrono::steady_clock::now() >= give_up) co_return HoldWake::kTimedOut;
  co_return HoldWake::kWoken;
}

void HeldRequest::wake() {
  woken_ = true;
  timer_.cancel();
}

void HeldRequest::watch_client() {
  if (watch_ == nullptr) watch_ = std::make_shared<Watch>(Watch{this});
  watching_ = true;
  client_.async_wait(tcp::socket::wait_read, [watch = watch_](const boost::system::error_code& ec) {
    HeldRequest* request = watch->request;
    if (request == nullptr) return;  // the hold ended; the socket belongs to the session again
    request->watching_ = false;
    if (ec == asio::error::operation_aborted) return;  // cancelled by a worker forced to stop
    if (!ec && client_connected(request->client_)) {
      // More bytes from a live client (the body, a pipelined request): keep watching. The
      // reactor is edge-triggered, so this wait ends at the next arrival, not at once.
      request->watch_client();
      return;
    }
    request->client_gone_ = true;
    request->timer_.cancel();
  });
}

void HeldRequestList::wake_all() {
  // wake() only cancels a timer (the session resumes later), so the list stays as it is.
  for (HeldRequest* request = head_; request != nullptr; request = request->next_) {
    request->wake();
  }
}

void HeldRequestList::link(HeldRequest& request) {
  request.next_ = head_;
  if (head_ != nullptr) head_->prev_ = &request;
  head_ = &request;
}

void HeldRequestList::unlink(HeldRequest& request) {
  if (request.prev_ != nullptr) request.prev_->next_ = request.next_;
  if (request.next_ != nullptr) request.next_->prev_ = request.prev_;
  if (head_ == &request) head_ = request.next_;
  request.prev_ = request.next_ = nullptr;
}

}  // namespace portico::proxy
