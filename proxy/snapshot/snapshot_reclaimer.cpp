#include "proxy/snapshot/snapshot_reclaimer.h"

#include <pthread.h>

namespace portico::proxy {

SnapshotReclaimer::SnapshotReclaimer() : thread_([this] { run(); }) {}

SnapshotReclaimer::~SnapshotReclaimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::shared_ptr<const RouteSnapshot> SnapshotReclaimer::adopt(
    std::shared_ptr<const RouteSnapshot> snapshot) {
  const RouteSnapshot* raw = snapshot.get();
  return std::shared_ptr<const RouteSnapshot>(
      raw, [this, owner = std::move(snapshot)](const RouteSnapshot*) mutable {
        retire(std::move(owner));
      });
}

void SnapshotReclaimer::retire(std::shared_ptr<const RouteSnapshot> snapshot) {
  {
    std::lock_guard lock(mutex_);
    retired_.push_back(std::move(snapshot));
  }
  wake_.notify_one();
}

void SnapshotReclaimer::run() {
  pthread_setname_np(pthread_self(), "portico-reclaim");
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !retired_.empty(); });
    std::vector<std::shared_ptr<const RouteSnapshot>> batch;
    batch.swap(retired_);
    lock.unlock();
    batch.clear();  // the frees, outside the lock
    lock.lock();
    if (stopping_ && retired_.empty()) return;
  }
}

}  // namespace portico::proxy
