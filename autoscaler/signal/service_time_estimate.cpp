#include "autoscaler/signal/service_time_estimate.h"

#include <algorithm>

namespace portico::autoscaler {

ServiceTimeEstimate::ServiceTimeEstimate(const ServiceTimeOptions& options) : options_(options) {
  sorted_.reserve(options_.segments);
}

void ServiceTimeEstimate::add(double seconds, double request_seconds, int64_t arrivals) {
  open_seconds_ += seconds;
  open_request_seconds_ += request_seconds;
  open_arrivals_ += arrivals;
  if (open_seconds_ >= options_.segment_seconds) close_segment();
}

void ServiceTimeEstimate::skip() {
  open_seconds_ = 0;
  open_request_seconds_ = 0;
  open_arrivals_ = 0;
}

void ServiceTimeEstimate::close_segment() {
  if (open_arrivals_ >= options_.min_arrivals) {
    times_.push_back(open_request_seconds_ / static_cast<double>(open_arrivals_));
    if (times_.size() > options_.segments) times_.pop_front();
    sorted_.assign(times_.begin(), times_.end());
    std::sort(sorted_.begin(), sorted_.end());
    // Linear interpolation between the closest ranks.
    const double rank = options_.quantile * static_cast<double>(sorted_.size() - 1);
    const std::size_t below = static_cast<std::size_t>(rank);
    const std::size_t above = std::min(below + 1, sorted_.size() - 1);
    const double fraction = rank - static_cast<double>(below);
    seconds_ = sorted_[below] + fraction * (sorted_[above] - sorted_[below]);
  }
  skip();
}

}  // namespace portico::autoscaler
