#pragma once
// Turns store changes into published snapshots: the store marks the reconciler dirty, the
// reconciler lets a burst of changes settle (debounce), translates the store's contents with
// the pure build_snapshot() and publishes the result. The same reconciler serves every
// source (manifest files, the API server).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "controller/store/object_store.h"
#include "controller/translate/snapshot_builder.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"

namespace portico::controller {

// Threads: mark_dirty() from any thread, never blocks on a translation. start() runs the
// debounce loop on the reconciler's own thread; reconcile_now() translates on the caller's
// thread. Translations are serialized (reconcile_mutex_), so generations reach the sink in
// increasing order. stop() (and the destructor) joins the thread; call it before the store,
// sink or registry go away.
class Reconciler {
 public:
  // A change that comes after a quiet period (no translation for `debounce`) is published at
  // once: an isolated change, the common case, reaches the proxy in about a millisecond.
  // Changes that follow it within `debounce` form a burst, which ends when `debounce` passes
  // without a new mark, or at the latest 10 debounce periods after its first mark, so that a
  // steady trickle still publishes. A rollout's hundred changes become two or three
  // translations.
  static constexpr int kMaxDebouncePeriods = 10;

  // `on_new_warning` (optional) sees each warning the previous translation did not raise, on
  // the translating thread, after it is logged: the API source turns them into Events.
  Reconciler(const ObjectStore& store, TranslateOptions options, std::chrono::milliseconds debounce,
             proxy::SnapshotSink& sink, proxy::EndpointStateRegistry& registry,
             std::function<void(const Warning&)> on_new_warning = {});
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  void mark_dirty();
  // Translates and publishes the current contents at once (generation 1, 2, ...). Warnings
  // not raised by the previous translation are logged.
  void reconcile_now();
  // The warnings of the latest translation (a new leader re-reports them as Events).
  std::vector<Warning> current_warnings();
  void start();
  void stop();

 private:
  using Clock = std::chrono::steady_clock;
  void run();

  const ObjectStore& store_;
  const TranslateOptions options_;
  const std::chrono::milliseconds debounce_;
  proxy::SnapshotSink& sink_;
  proxy::EndpointStateRegistry& registry_;
  const std::function<void(const Warning&)> on_new_warning_;

  std::mutex mutex_;  // guards the fields below it up to reconcile_mutex_
  std::condition_variable wake_;
  bool dirty_ = false;
  bool stopping_ = false;
  Clock::time_point first_mark_;
  Clock::time_point last_mark_;
  Clock::time_point last_translation_;  // the epoch: never

  std::mutex reconcile_mutex_;  // serializes translations; guards the fields below it
  uint64_t generation_ = 0;
  std::set<Warning> logged_warnings_;

  std::thread thread_;
};

}  // namespace portico::controller
