#pragma once
// Frees retired snapshots on a control-plane thread of their own. A snapshot of a large
// cluster is hundreds of thousands of small objects; freeing one took about 18 ms on the
// worker that happened to drop the last reference, stalling every request on that worker at
// each publish (bench/controller_bench.cpp, 5,000 Services). Workers now only hand the last
// reference over.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

// Threads: adopt() from the control plane; the pointers it returns may be released on any
// thread (a worker's release takes the reclaimer's mutex once per snapshot, never per
// request). The reclaimer thread, named "portico-reclaim", frees them. Must outlive every
// pointer adopt() returned: the destructor frees what is left and joins.
class SnapshotReclaimer {
 public:
  SnapshotReclaimer();
  ~SnapshotReclaimer();
  SnapshotReclaimer(const SnapshotReclaimer&) = delete;
  SnapshotReclaimer& operator=(const SnapshotReclaimer&) = delete;

  // The same snapshot, owned so that its last release moves it here instead of freeing it.
  std::shared_ptr<const RouteSnapshot> adopt(std::shared_ptr<const RouteSnapshot> snapshot);

 private:
  void retire(std::shared_ptr<const RouteSnapshot> snapshot);
  void run();

  std::mutex mutex_;  // guards retired_, stopping_
  std::condition_variable wake_;
  std::vector<std::shared_ptr<const RouteSnapshot>> retired_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portico::proxy
