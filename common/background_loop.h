#pragma once
// A control-plane loop on a thread of its own that stop() ends: the stop flag, the wake-up
// and the join, which every such loop needs the same way. The owner may guard state of its
// own with mutex() and wait on wake() for it, so that one condition variable serves both its
// work and the stop.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace portico {

// Threads: start() and stop() from any thread but the loop's own; stopping() with mutex()
// held; sleep_for() from the loop. The destructor stops; owners whose loop uses their other
// members call stop() in their own destructor first.
class BackgroundLoop {
 public:
  BackgroundLoop() = default;
  ~BackgroundLoop() { stop(); }
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Runs `loop` on a new thread; does nothing when already started or after stop().
  void start(std::function<void()> loop) {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) return;
    thread_ = std::thread(std::move(loop));
  }
  // Sets the stop flag, wakes the loop and joins it. Idempotent.
  void stop() {
    std::thread thread;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      thread = std::move(thread_);
    }
    wake_.notify_all();
    if (thread.joinable()) thread.join();
  }

  std::mutex& mutex() { return mutex_; }
  std::condition_variable& wake() { return wake_; }
  bool stopping() const { return stopping_; }  // with mutex() held

  // Waits `duration` or until stop(); false when stopping.
  bool sleep_for(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return stopping_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace portico
