#include "controller/kube/backoff.h"

#include <algorithm>

namespace portico::controller::kube {

std::chrono::milliseconds Backoff::next(double uniform) {
  const std::chrono::milliseconds step = step_;
  const auto grown =
      std::chrono::milliseconds(static_cast<int64_t>(step.count() * options_.factor));
  step_ = std::min(grown, options_.cap);
  const double jittered = step.count() * (1.0 + options_.jitter * std::clamp(uniform, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<int64_t>(jittered));
}

}  // namespace portico::controller::kube
