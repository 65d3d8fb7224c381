#pragma once
// Notices changes in one folder (inotify) and reports them once per burst.
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "common/result.h"

namespace portico::controller {

// open() registers the watch; start() runs a thread that waits for events, lets a burst
// settle until `debounce` passes without another event (editors write a file in several
// steps), then calls `on_change` on that thread. Events between open() and start() are kept
// by the kernel and reported once the thread runs, so open() before the initial read
// guarantees no change is missed. open/start/stop from the owning thread; stop() (and the
// destructor) wakes and joins the thread. Linux only.
class DirectoryWatcher {
 public:
  DirectoryWatcher(std::filesystem::path directory, std::chrono::milliseconds debounce,
                   std::function<void()> on_change);
  ~DirectoryWatcher();
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  Status open();
  void start();
  void stop();

 private:
  void run();
  // Reads every pending event; false when the stop descriptor fired.
  bool drain();

  const std::filesystem::path directory_;
  const std::chrono::milliseconds debounce_;
  const std::function<void()> on_change_;
  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // an eventfd written by stop()
  std::thread thread_;
};

}  // namespace portico::controller
