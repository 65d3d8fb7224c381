#include "proxy/net/deadline.h"

namespace portico::proxy {

Deadline::Deadline(DeadlineList& list, DeadlineOwner& owner) : list_(list), owner_(owner) {
  list_.link(*this);
}

Deadline::~Deadline() {
  list_.unlink(*this);
}

void DeadlineList::link(Deadline& deadline) {
  deadline.next_ = head_;
  if (head_ != nullptr) head_->prev_ = &deadline;
  head_ = &deadline;
}

void DeadlineList::unlink(Deadline& deadline) {
  if (cursor_ == &deadline) cursor_ = deadline.next_;
  if (deadline.prev_ != nullptr) deadline.prev_->next_ = deadline.next_;
  if (deadline.next_ != nullptr) deadline.next_->prev_ = deadline.prev_;
  if (head_ == &deadline) head_ = deadline.next_;
  deadline.prev_ = deadline.next_ = nullptr;
}

void DeadlineList::expire_due(Deadline::Clock::time_point now) {
  // An owner's callback only cancels I/O (completions run later), but stay safe if it
  // destroys its own deadline: unlink() advances the cursor past a removed node.
  cursor_ = head_;
  while (cursor_ != nullptr) {
    Deadline* current = cursor_;
    cursor_ = current->next_;
    if (current->due_ <= now) {
      current->due_ = Deadline::Clock::time_point::max();
      current->expired_ = true;
      current->owner_.on_deadline();
    }
  }
}

// Disarmed deadlines sit at time_point::max(), so this reaches them too.
void DeadlineList::expire_all() {
  expire_due(Deadline::Clock::time_point::max());
}

}  // namespace portico::proxy
