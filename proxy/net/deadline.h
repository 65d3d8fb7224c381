#pragma once
// Coarse timeouts without a timer per operation: each connection owns one Deadline that it
// re-arms before every wait, and its worker sweeps the armed deadlines a few times a second.
// Arming is a store of a time point, so the hot path pays no timer (de)registration.
#include <chrono>

namespace portico::proxy {

class DeadlineList;

// Implemented by whoever owns a Deadline: told, on its worker thread, that it expired.
class DeadlineOwner {
 public:
  virtual void on_deadline() = 0;

 protected:
  ~DeadlineOwner() = default;
};

// Worker thread only. Registered in its list for its whole life; unlinks itself on
// destruction.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  Deadline(DeadlineList& list, DeadlineOwner& owner);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void arm(Clock::duration timeout) {
    due_ = Clock::now() + timeout;
    expired_ = false;
  }
  void disarm() { due_ = Clock::time_point::max(); }
  bool expired() const { return expired_; }

 private:
  friend class DeadlineList;
  DeadlineList& list_;
  DeadlineOwner& owner_;
  Clock::time_point due_ = Clock::time_point::max();
  bool expired_ = false;
  Deadline* prev_ = nullptr;
  Deadline* next_ = nullptr;
};

// Worker thread only: an intrusive list, so adding and removing never allocate.
class DeadlineList {
 public:
  // Marks every deadline due at or before `now` expired and tells its owner.
  void expire_due(Deadline::Clock::time_point now);
  // Expires every deadline at once (shutdown after the drain period).
  void expire_all();
  bool empty() const { return head_ == nullptr; }

 private:
  friend class Deadline;
  void link(Deadline& deadline);
  void unlink(Deadline& deadline);
  Deadline* head_ = nullptr;
  Deadline* cursor_ = nullptr;  // next node to visit during a sweep, kept valid by unlink()
};

}  // namespace portico::proxy
