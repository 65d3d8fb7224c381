#pragma once
// Scale from zero, on the data plane: requests for a Service that has no endpoint yet wait
// here instead of being answered 503, until a snapshot with an endpoint reaches their worker,
// their time is up, the client leaves or the server drains. Three pieces: the slot a held
// request takes in its Service's shared `held` count (bounded over every worker), the waiter
// a held session suspends on, and the worker's list of waiters that a snapshot install wakes.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

// Seconds a client is told to wait before trying again after a hold is refused (queue full,
// timed out, draining). 5 s: a Service waking from zero typically has its first pod ready in
// a few seconds, so a client retrying after 5 s likely finds it; 1 s would let every client
// refused by a full queue come back several times while the same cold start is still under
// way, hammering the queue that just refused them.
inline constexpr uint32_t kHoldRetryAfterSeconds = 5;

// Whether a request routed to `target` is held rather than answered 503 at once: its backend
// has no endpoint, is in holding mode, and has the shared Service counters to hold against.
inline bool holds_when_empty(const RouteTarget* target) {
  return target != nullptr && target->backend != nullptr && target->backend->endpoints.empty() &&
         target->backend->hold_when_empty.has_value() && target->backend->state != nullptr;
}

// One held request's unit of its Service's BackendState::held, given back exactly once: on
// release(), on taking another Service's unit, or on destruction (any way out of a session,
// a worker destroyed with the session suspended included). Worker thread only; the count is
// a relaxed atomic shared by every worker, never locked.
class HoldSlot {
 public:
  HoldSlot() = default;
  ~HoldSlot() { release(); }
  HoldSlot(const HoldSlot&) = delete;
  HoldSlot& operator=(const HoldSlot&) = delete;

  // Holds a unit of `state`'s count, keeping the one already held when it is the same
  // Service's. False, holding nothing, when `queue_size` requests are held already.
  bool take(std::shared_ptr<BackendState> state, uint32_t queue_size);
  void release();

 private:
  // Shared, not raw: the snapshot that named the Service may be retired while we wait.
  std::shared_ptr<BackendState> state_;
};

class HeldRequestList;

// Why a held request's wait ended.
enum class HoldWake : uint8_t {
  kWoken,       // a snapshot was installed or the worker drains: look again
  kTimedOut,    // the give-up time passed
  kClientGone,  // the client closed or reset its connection
};

// What a held session waits on. Worker thread only; lives in the session's coroutine frame,
// linked into its worker's list for its whole life. The wait is a timer set to the give-up
// time (so short hold timeouts are exact, not rounded to the deadline sweep) that a wake
// cancels; beside it, a readiness wait on the client socket notices a client that goes away.
// Nothing is read from the socket: a request body stays where it is until forwarded.
class HeldRequest {
 public:
  HeldRequest(HeldRequestList& list, boost::asio::ip::tcp::socket& client);
  ~HeldRequest();
  HeldRequest(const HeldRequest&) = delete;
  HeldRequest& operator=(const HeldRequest&) = delete;

  // Suspends until woken, `give_up` or the client leaves, whichever comes first.
  boost::asio::awaitable<HoldWake> wait(std::chrono::steady_clock::time_point give_up);

 private:
  friend class HeldRequestList;
  // What the socket readiness handler reaches the request through; cleared when the request
  // ends, since the handler may run after that (a cancelled wait completes later).
  struct Watch {
    HeldRequest* request;
  };
  void wake();
  void watch_client();

  HeldRequestList& list_;
  boost::asio::ip::tcp::socket& client_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<Watch> watch_;
  bool watching_ = false;
  bool woken_ = false;
  bool client_gone_ = false;
  HeldRequest* prev_ = nullptr;
  HeldRequest* next_ = nullptr;
};

// A worker's held requests. Worker thread only; an intrusive list, so holding and waking
// never allocate.
class HeldRequestList {
 public:
  // Wakes every held request (each looks at the worker's current snapshot again, or answers
  // when the worker drains). Called when the worker installs a snapshot and when it drains.
  void wake_all();
  bool empty() const { return head_ == nullptr; }

 private:
  friend class HeldRequest;
  void link(HeldRequest& request);
  void unlink(HeldRequest& request);
  HeldRequest* head_ = nullptr;
};

}  // namespace portico::proxy
