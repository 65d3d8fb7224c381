#include "controller/events/event_correlator.h"

#include <algorithm>

namespace portico::controller::events {

std::optional<PostedEvent> EventCorrelator::find(const std::string& key, WallTime now) const {
  auto it = posted_.find(key);
  if (it == posted_.end() || now - it->second.last_timestamp >= window_) return std::nullopt;
  return it->second;
}

void EventCorrelator::remember(const std::string& key, PostedEvent posted) {
  const WallTime now = posted.last_timestamp;
  posted_.insert_or_assign(key, std::move(posted));
  if (posted_.size() <= capacity_) return;
  std::erase_if(posted_, [&](const auto& entry) {
    return entry.first != key && now - entry.second.last_timestamp >= window_;
  });
  while (posted_.size() > capacity_) {
    auto oldest =
        std::min_element(posted_.begin(), posted_.end(), [](const auto& a, const auto& b) {
          return a.second.last_timestamp < b.second.last_timestamp;
        });
    posted_.erase(oldest);
  }
}

}  // namespace portico::controller::events
