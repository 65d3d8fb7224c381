#pragma once
// Remembers the Events recently posted so that repeats become a count on the existing Event
// (client-go's EventCorrelator / eventLogger, simplified: identical events only, within a
// window since the last occurrence, a bounded number remembered). One owner; not
// thread-safe.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "controller/events/event.h"

namespace portico::controller::events {

class EventCorrelator {
 public:
  EventCorrelator(std::chrono::seconds window, std::size_t capacity)
      : window_(window), capacity_(capacity) {}

  // The Event posted for `key` whose last occurrence is less than the window before `now`.
  std::optional<PostedEvent> find(const std::string& key, WallTime now) const;
  // Records what the API server now holds for `key`. Beyond capacity, forgets entries past
  // the window, then the least recently seen.
  void remember(const std::string& key, PostedEvent posted);
  std::size_t size() const { return posted_.size(); }

 private:
  const std::chrono::seconds window_;
  const std::size_t capacity_;
  std::map<std::string, PostedEvent> posted_;
};

}  // namespace portico::controller::events
