#include "controller/store/object_store.h"

namespace portico::controller {
namespace {

// Copies entries of `next` whose value equals the one in `previous`, so that unchanged
// objects stay the same pointers; reports whether the maps differ.
template <typename T>
bool keep_unchanged(const StoreContents::ByKey<T>& previous, StoreContents::ByKey<T>& next) {
  bool changed = previous.size() != next.size();
  for (auto& [key, object] : next) {
    auto it = previous.find(key);
    if (it != previous.end() && *it->second == *object) {
      object = it->second;
    } else {
      changed = true;
    }
  }
  return changed;
}

}  // namespace

void ObjectStore::upsert(Object object) {
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = contents_.put(std::move(object));
  }
  notify_if(changed);
}

void ObjectStore::remove(const Object& object) {
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = contents_.erase(object);
  }
  notify_if(changed);
}

void ObjectStore::replace(std::vector<Object> objects) {
  // Build outside the lock; only the comparison and the swap need it.
  StoreContents next;
  for (Object& object : objects) next.put(std::move(object));
  bool changed;
  {
    std::lock_guard lock(mutex_);
    // Non-short-circuit '|': every map must adopt its unchanged pointers.
    changed = keep_unchanged(contents_.ingresses, next.ingresses) |
              keep_unchanged(contents_.ingress_classes, next.ingress_classes) |
              keep_unchanged(contents_.services, next.services) |
              keep_unchanged(contents_.endpoint_slices, next.endpoint_slices);
    contents_ = std::move(next);
  }
  notify_if(changed);
}

StoreContents ObjectStore::contents() const {
  std::lock_guard lock(mutex_);
  return contents_;
}

void ObjectStore::notify_if(bool changed) {
  if (changed && on_change_) on_change_();
}

}  // namespace portico::controller
