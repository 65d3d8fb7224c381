#pragma once
// HAProxy's fall/rise hysteresis: one check result alone never flips an endpoint, a run of
// them does.
#include <algorithm>
#include <cstdint>

namespace portico::proxy {

// The verdict over one endpoint's check results: a passing endpoint goes down after `fall`
// failures in a row, a failing one comes back after `rise` successes in a row; a result that
// agrees with the verdict clears the opposite run. Thresholds of 0 count as 1. A plain
// value owned by the health checker's thread.
class FallRise {
 public:
  explicit FallRise(bool passing) : passing_(passing) {}

  // Records one result; returns true when it flipped the verdict.
  bool record(bool success, uint32_t fall, uint32_t rise) {
    if (success == passing_) {
      run_ = 0;
      return false;
    }
    ++run_;
    if (run_ < std::max<uint32_t>(passing_ ? fall : rise, 1)) return false;
    passing_ = success;
    run_ = 0;
    return true;
  }

  bool passing() const { return passing_; }

 private:
  bool passing_;
  uint32_t run_ = 0;  // consecutive results that disagree with the verdict
};

}  // namespace portico::proxy
