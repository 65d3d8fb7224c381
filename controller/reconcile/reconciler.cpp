#include "controller/reconcile/reconciler.h"

#include <algorithm>

#include "common/log.h"

namespace portico::controller {

Reconciler::Reconciler(const ObjectStore& store, TranslateOptions options,
                       std::chrono::milliseconds debounce, proxy::SnapshotSink& sink,
                       proxy::EndpointStateRegistry& registry,
                       std::function<void(const Warning&)> on_new_warning)
    : store_(store),
      options_(std::move(options)),
      debounce_(debounce),
      sink_(sink),
      registry_(registry),
      on_new_warning_(std::move(on_new_warning)) {}

Reconciler::~Reconciler() {
  stop();
}

void Reconciler::mark_dirty() {
  {
    std::lock_guard lock(mutex_);
    const Clock::time_point now = Clock::now();
    if (!dirty_) first_mark_ = now;
    dirty_ = true;
    last_mark_ = now;
  }
  wake_.notify_one();
}

void Reconciler::reconcile_now() {
  {
    // Cleared before reading the store: a change that lands during translation marks the
    // reconciler dirty again and gets its own translation.
    std::lock_guard lock(mutex_);
    dirty_ = false;
    last_translation_ = Clock::now();
  }
  std::lock_guard reconcile_lock(reconcile_mutex_);
  const Clock::time_point started = Clock::now();
  const StoreContents contents = store_.contents();
  Translation translation = build_snapshot(contents, options_, ++generation_, registry_);
  const auto took =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();

  std::set<Warning> current(translation.warnings.begin(), translation.warnings.end());
  for (const Warning& warning : translation.warnings) {
    if (!logged_warnings_.contains(warning)) {
      log::warn(warning.message, {{"kind", warning.kind}, {"object", warning.object}});
      if (on_new_warning_) on_new_warning_(warning);
    }
  }
  logged_warnings_ = std::move(current);

  log::info(
      "routes published",
      {{"generation", std::to_string(generation_)},
       {"hosts", std::to_string(translation.snapshot->routes.host_count())},
       {"backends", std::to_string(translation.snapshot->backends.size())},
       {"warnings", std::to_string(translation.warnings.size())},
       {"translate_ms", std::to_string(took / 1000) + "." + std::to_string(took % 1000 / 100)}});
  sink_.publish(std::move(translation.snapshot));
}

std::vector<Warning> Reconciler::current_warnings() {
  std::lock_guard reconcile_lock(reconcile_mutex_);
  return {logged_warnings_.begin(), logged_warnings_.end()};
}

void Reconciler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void Reconciler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Reconciler::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return dirty_ || stopping_; });
    const bool after_quiet_period = Clock::now() - last_translation_ >= debounce_;
    while (!stopping_ && !after_quiet_period) {
      const Clock::time_point deadline =
          std::min(last_mark_ + debounce_, first_mark_ + kMaxDebouncePeriods * debounce_);
      if (Clock::now() >= deadline) break;
      wake_.wait_until(lock, deadline);
    }
    if (stopping_) return;
    lock.unlock();
    reconcile_now();
    lock.lock();
  }
}

}  // namespace portico::controller
