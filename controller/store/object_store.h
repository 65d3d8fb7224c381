#pragma once
// The controller's cache of Kubernetes objects, filled by a source (manifest files now, the
// API server's list/watch later) and read by the reconciler. Like client-go's Store: sources
// call upsert/remove for watch events and replace for a full (re)list.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "controller/store/store_contents.h"

namespace portico::controller {

// Thread-safe: every method takes the store's mutex, held only to copy pointers. After a
// call that changed something, `on_change` runs on the calling thread with the mutex
// released; it must be cheap and must not call back into a mutating method (the reconciler's
// mark_dirty() is the intended callback). Control plane only.
class ObjectStore {
 public:
  explicit ObjectStore(std::function<void()> on_change) : on_change_(std::move(on_change)) {}

  // Adds or updates one object (a watch ADDED/MODIFIED event).
  void upsert(Object object);
  // Removes the object with `object`'s kind and key (a watch DELETED event).
  void remove(const Object& object);
  // Removes the object of `kind` stored under `key` (a DELETED event whose object does not
  // decode).
  void remove(ObjectKind kind, const std::string& key);
  // Makes the store hold exactly `objects` (a list or relist). When two share a kind and
  // key, the later one wins. Objects equal to what is stored keep their identity.
  void replace(std::vector<Object> objects);
  // The same for one kind only (each API resource is listed on its own); every `objects`
  // entry must be of `kind`. Keys in `keep` keep their stored object: objects the source
  // could not decode this time, whose last good version stays in use.
  void replace_kind(ObjectKind kind, std::vector<Object> objects,
                    const std::vector<std::string>& keep = {});
  void set_resolved_names(std::map<std::string, std::vector<std::string>> resolved_names);

  // A consistent copy for translation; never blocks a writer for longer than the copy.
  StoreContents contents() const;
  // How many calls have changed the contents so far: a reader that polls copies contents()
  // again only when this moved. Read it before contents(), never after.
  uint64_t changes() const { return changes_.load(std::memory_order_acquire); }
  // One Ingress by key, without copying the rest; null when absent.
  std::shared_ptr<const Ingress> ingress(const std::string& key) const;

 private:
  void notify_if(bool changed);

  const std::function<void()> on_change_;
  mutable std::mutex mutex_;
  StoreContents contents_;  // guarded by mutex_
  std::atomic<uint64_t> changes_{0};
};

}  // namespace portico::controller
