#include "tests/fakes/fake_api_server/watch_stream.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <string>

namespace portico::testing {
namespace {

using Clock = std::chrono::steady_clock;

// How often an idle watch looks for a client that hung up, so open_watches() soon stops
// counting it.
constexpr std::chrono::milliseconds kPeerCheckInterval(50);

constexpr std::string_view kResponseHead =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: no-cache, private\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

bool peer_closed(int fd) {
  pollfd poll_fd{fd, POLLRDHUP, 0};
  return ::poll(&poll_fd, 1, 0) > 0 && (poll_fd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace

WatchEnd serve_watch(ServerCore& core, const std::shared_ptr<Watch>& watch,
                     const std::function<bool(std::string_view)>& write) {
  const WatchSpec& spec = watch->spec;
  const bool timed_bookmarks = spec.bookmarks && spec.bookmark_interval.count() > 0;
  bool head_sent = false;
  std::string out;
  std::unique_lock lock(core.mutex);
  WatchEnd end = WatchEnd::kClosed;
  while (!core.stopping && !watch->dropped) {
    const Clock::time_point now = Clock::now();
    bool last = false;
    out.clear();
    // A stalled server writes nothing, not even the response head, and keeps what it owes.
    if (!core.watches.stalled()) {
      if (!head_sent) out += kResponseHead;
      head_sent = true;
      if (timed_bookmarks && now >= watch->next_bookmark) {
        core.watches.queue_bookmark(*watch);
        watch->next_bookmark = now + spec.bookmark_interval;
      }
      out += watch->pending;
      watch->pending.clear();
      last = watch->finish_after_pending || (spec.deadline && now >= *spec.deadline);
      if (last) out += kLastChunk;
    }
    if (!out.empty()) {
      lock.unlock();
      const bool written = write(out);
      lock.lock();
      if (!written) break;
      if (last) {
        end = WatchEnd::kCompleted;
        break;
      }
      continue;
    }
    if (peer_closed(watch->fd)) break;
    Clock::time_point wake_at = now + kPeerCheckInterval;
    if (spec.deadline) wake_at = std::min(wake_at, *spec.deadline);
    if (timed_bookmarks) wake_at = std::min(wake_at, watch->next_bookmark);
    watch->wake.wait_until(lock, wake_at);
  }
  core.watches.close(*watch);
  return end;
}

}  // namespace portico::testing
