#include "controller/store/object_store.h"

namespace portico::controller {

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
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t kind = 0; kind < std::variant_size_v<Object>; ++kind) {
      changed |= contents_.adopt_kind(static_cast<ObjectKind>(kind), next, {});
    }
  }
  notify_if(changed);
}

void ObjectStore::remove(ObjectKind kind, const std::string& key) {
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = contents_.erase(kind, key);
  }
  notify_if(changed);
}

void ObjectStore::replace_kind(ObjectKind kind, std::vector<Object> objects,
                               const std::vector<std::string>& keep) {
  StoreContents next;
  for (Object& object : objects) next.put(std::move(object));
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = contents_.adopt_kind(kind, next, keep);
  }
  notify_if(changed);
}

void ObjectStore::set_resolved_names(std::map<std::string, std::vector<std::string>> names) {
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = contents_.resolved_names != names;
    if (changed) contents_.resolved_names = std::move(names);
  }
  notify_if(changed);
}

StoreContents ObjectStore::contents() const {
  std::lock_guard lock(mutex_);
  return contents_;
}

std::shared_ptr<const Ingress> ObjectStore::ingress(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = contents_.ingresses.find(key);
  return it == contents_.ingresses.end() ? nullptr : it->second;
}

void ObjectStore::notify_if(bool changed) {
  if (!changed) return;
  changes_.fetch_add(1, std::memory_order_release);
  if (on_change_) on_change_();
}

}  // namespace portico::controller
