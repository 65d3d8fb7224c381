// The holding half of a ClientSession (scale from zero): a request whose Service has no
// endpoint yet, in holding mode, waits for a snapshot that gives it one instead of being
// answered 503. The pieces that do not depend on the session are in held_requests.h.
#include "proxy/net/tcp_stream.h"
#include "proxy/server/client_session_class.h"
#include "proxy/server/held_requests.h"

namespace portico::proxy::session {

template <typename Stream>
awaitable<HoldOutcome> ClientSession<Stream>::hold(std::shared_ptr<const WorkerSnapshot>& snapshot,
                                                   const RouteTarget*& target) {
  // A draining worker takes no new waiters: nothing would release them but the drain's 503.
  if (worker_.draining()) co_return HoldOutcome::kRefused;
  HoldSlot slot;
  if (!slot.take(target->backend->state, target->backend->hold_when_empty->queue_size)) {
    co_return HoldOutcome::kRefused;
  }
  // The hold has its own give-up time; the session's deadline would cut it at the header
  // timeout.
  phase_ = Phase::kHeld;
  deadline_.disarm();
  const auto held_since = std::chrono::steady_clock::now();
  HeldRequest waiter(worker_.held_requests(), client_.socket());
  for (;;) {
    const HoldWake wake =
        co_await waiter.wait(held_since + target->backend->hold_when_empty->timeout);
    if (wake == HoldWake::kClientGone) co_return HoldOutcome::kClientGone;
    if (wake == HoldWake::kTimedOut || worker_.draining()) co_return HoldOutcome::kRefused;
    // Routed again as a fresh request would be: the new snapshot may send it elsewhere.
    snapshot = worker_.snapshot();
    target = route(*snapshot->snapshot);
    if (!holds_when_empty(target)) co_return HoldOutcome::kRouted;
    // Still (or now) waiting for an empty Service: another Service's queue must have room.
    if (!slot.take(target->backend->state, target->backend->hold_when_empty->queue_size)) {
      co_return HoldOutcome::kRefused;
    }
  }
}

template awaitable<HoldOutcome> ClientSession<TcpStream>::hold(
    std::shared_ptr<const WorkerSnapshot>&, const RouteTarget*&);

}  // namespace portico::proxy::session
