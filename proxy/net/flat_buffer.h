#pragma once
// A fixed-capacity byte buffer with a readable window [begin, end). Allocated once per
// connection and reused for every request on it, so the steady state allocates nothing and
// memory per connection is bounded whatever the peer sends.
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

#include <boost/asio/buffer.hpp>

#include "proxy/net/buffer_pool.h"

namespace portico::proxy {

class FlatBuffer {
 public:
  explicit FlatBuffer(std::size_t capacity)
      : storage_(std::make_unique_for_overwrite<char[]>(capacity).release(), Release{nullptr}),
        capacity_(capacity) {}
  // Storage borrowed from `pool` and given back on destruction; `pool` must outlive this.
  explicit FlatBuffer(BufferPool& pool)
      : storage_(pool.take().release(), Release{&pool}), capacity_(pool.buffer_size()) {}

  std::string_view readable() const { return {storage_.get() + begin_, end_ - begin_}; }
  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  std::size_t capacity() const { return capacity_; }

  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void clear() { begin_ = end_ = 0; }

  // Room to read into; moves unread bytes to the front first when the tail is full.
  boost::asio::mutable_buffer writable() {
    if (end_ == capacity_ && begin_ > 0) compact();
    return boost::asio::buffer(storage_.get() + end_, capacity_ - end_);
  }
  bool full() const { return begin_ == 0 && end_ == capacity_; }
  void commit(std::size_t n) { end_ += n; }

  void compact() {
    if (begin_ == 0) return;
    std::memmove(storage_.get(), storage_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }

 private:
  // Frees the storage, or hands it back to the pool it came from.
  struct Release {
    BufferPool* pool;
    void operator()(char* storage) const {
      std::unique_ptr<char[]> owned(storage);
      if (pool != nullptr) pool->give_back(std::move(owned));
    }
  };
  std::unique_ptr<char[], Release> storage_;
  std::size_t capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace portico::proxy
