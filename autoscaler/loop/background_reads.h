#pragma once
// Reads a set of keys on a thread of its own, every `period`, one after the other, and keeps
// what each last said: its peers' queue-depth figures and its Prometheus metrics are read this
// way for the autoscaler. A read that hangs until its own timeout holds up this thread, never
// the leader's loop, which polls this replica's load every 100 ms and must act on a rise at
// once. The loop hands it the keys and takes the latest results; neither call waits on the
// network. A failed read is logged when its error differs from the key's previous one.
//
// Threads: set_keys() and latest() from any thread (one mutex, held to copy, never across a
// read); the reads run on the reader's own thread, which stop() (or the destructor) joins.
#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "autoscaler/decision/recommendation_history.h"
#include "common/background_loop.h"
#include "common/log.h"
#include "common/result.h"

namespace portico::autoscaler {

template <typename T>
class BackgroundReads {
 public:
  // One bounded, blocking read of a key.
  using Read = std::function<Result<T>(const std::string& key)>;

  struct Latest {
    std::optional<T> value;  // the last good read
    TimePoint read_at;       // steady clock, when `value` was read
    std::string error;       // the last read's error; empty when it succeeded
  };

  // `what` names a key's figures in the log: "a peer's queue depth".
  BackgroundReads(Read read, std::chrono::milliseconds period, std::string what)
      : read_(std::move(read)), period_(period), what_(std::move(what)) {}
  ~BackgroundReads() { stop(); }
  BackgroundReads(const BackgroundReads&) = delete;
  BackgroundReads& operator=(const BackgroundReads&) = delete;

  void start() {
    loop_.start([this] { run(); });
  }
  void stop() { loop_.stop(); }

  // The keys to read from now on; none stops reading. A key no longer listed loses what it
  // said. Called every loop round with the same keys, it changes nothing.
  void set_keys(std::vector<std::string> keys) {
    std::lock_guard lock(mutex_);
    if (keys == keys_) return;
    std::erase_if(latest_, [&](const auto& entry) {
      return std::find(keys.begin(), keys.end(), entry.first) == keys.end();
    });
    keys_ = std::move(keys);
  }
  // What each listed key last said, by key; a key not read yet is absent.
  std::map<std::string, Latest> latest() const {
    std::lock_guard lock(mutex_);
    return latest_;
  }

 private:
  void run() {
    do {
      std::vector<std::string> keys;
      {
        std::lock_guard lock(mutex_);
        keys = keys_;
      }
      for (const std::string& key : keys) record(key, read_(key));
    } while (loop_.sleep_for(period_));
  }

  void record(const std::string& key, Result<T> result) {
    std::lock_guard lock(mutex_);
    // Dropped meanwhile: what it said must not come back.
    if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) return;
    Latest& latest = latest_[key];
    if (result) {
      latest = Latest{std::move(result.value()), std::chrono::steady_clock::now(), ""};
      return;
    }
    if (result.error() != latest.error) {
      log::warn("cannot read " + what_, {{"key", key}, {"error", result.error()}});
    }
    latest.error = result.error();
  }

  const Read read_;
  const std::chrono::milliseconds period_;
  const std::string what_;
  mutable std::mutex mutex_;
  std::vector<std::string> keys_;         // guarded by mutex_
  std::map<std::string, Latest> latest_;  // guarded by mutex_
  BackgroundLoop loop_;                   // last: stopped before the members it uses go
};

}  // namespace portico::autoscaler
