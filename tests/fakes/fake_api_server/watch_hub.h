#pragma once
// The open watch streams of the fake API server and what each is owed: events filtered by
// namespace and selectors, bookmarks, and the faults that act on every stream (drop, stall).
// A Watch holds its output already framed as HTTP chunks, one per event, for the
// connection thread that serves it (watch_stream.h) to write.
//
// Not thread-safe: every WatchHub method, and every access to a Watch's fields, happens
// under the server mutex; Watch::wake is waited on with that mutex.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/fakes/fake_api_server/object_store.h"
#include "tests/fakes/fake_api_server/selector.h"

namespace portico::testing {

struct WatchSpec {
  std::string resource;
  std::optional<std::string> namespace_;  // nullopt: every namespace
  Selector fields;
  Selector labels;
  bool bookmarks = false;                                         // allowWatchBookmarks=true
  std::chrono::seconds bookmark_interval{0};                      // 0: only on send_bookmarks()
  std::optional<std::chrono::steady_clock::time_point> deadline;  // timeoutSeconds
};

struct Watch {
  WatchSpec spec;
  int fd = -1;                        // the connection's socket, shut down by WatchHub::drop_all()
  std::string pending;                // framed chunks not yet written
  bool finish_after_pending = false;  // end the stream once `pending` is written
  bool dropped = false;
  std::chrono::steady_clock::time_point next_bookmark;
  std::condition_variable wake;
};

class WatchHub {
 public:
  explicit WatchHub(const ObjectStore& store) : store_(store) {}

  std::shared_ptr<Watch> open(WatchSpec spec, int fd);
  void close(const Watch& watch);
  std::size_t size() const { return watches_.size(); }

  // Queues `event` as `watch` sees it; returns false when its filters hide it. A MODIFIED
  // event whose object starts or stops matching the selectors becomes ADDED or DELETED, as
  // the API server's watch filter does.
  bool queue_event(Watch& watch, const StoreEvent& event) const;
  void queue_added(Watch& watch, const StoredObject& object) const;
  // An ERROR event carrying `status_json`, after which the stream ends.
  void queue_error(Watch& watch, const std::string& status_json) const;
  // A BOOKMARK event at the store's latest resourceVersion.
  void queue_bookmark(Watch& watch) const;

  // To every open watch, waking those that got something.
  void publish(const StoreEvent& event);
  void send_bookmarks();  // only watches that asked for bookmarks
  // Marks every watch dropped and shuts its socket down, so even a blocked write ends.
  void drop_all();
  void wake_all();

  bool stalled() const { return stalled_; }
  void set_stalled(bool stalled);

 private:
  const ObjectStore& store_;
  std::vector<std::shared_ptr<Watch>> watches_;
  bool stalled_ = false;
};

}  // namespace portico::testing
