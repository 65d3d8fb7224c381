#pragma once
// Per-worker recycling of connection buffers. A connection's buffer goes back here when the
// connection ends and serves the next one, so accepting a connection (or opening an upstream
// connection) costs no allocation of that size; with `Connection: close` traffic that is
// one malloc/free pair of 32 KiB per request saved. At most `max_idle` buffers are kept.
#include <cstddef>
#include <memory>
#include <vector>

namespace portico::proxy {

// Worker thread only; no locks.
class BufferPool {
 public:
  BufferPool(std::size_t buffer_size, std::size_t max_idle)
      : buffer_size_(buffer_size), max_idle_(max_idle) {}

  std::unique_ptr<char[]> take() {
    if (idle_.empty()) return std::make_unique_for_overwrite<char[]>(buffer_size_);
    std::unique_ptr<char[]> storage = std::move(idle_.back());
    idle_.pop_back();
    return storage;
  }

  void give_back(std::unique_ptr<char[]> storage) {
    if (idle_.size() < max_idle_) idle_.push_back(std::move(storage));
  }

  std::size_t buffer_size() const { return buffer_size_; }
  std::size_t idle_count() const { return idle_.size(); }

 private:
  std::size_t buffer_size_;
  std::size_t max_idle_;
  std::vector<std::unique_ptr<char[]>> idle_;
};

}  // namespace portico::proxy
