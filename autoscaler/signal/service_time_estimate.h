#pragma once
// The mean time a request spends at Portico and on the pod, by Little's law: over a segment,
// (time-weighted requests in flight) / (requests that arrived). What it is for: turning an
// arrival rate into the requests in flight it will keep busy, so a rate step is read as
// demand at once instead of as a queue that has yet to build.
//
// A backlog (requests waiting while new pods start) lengthens the time in system of the
// segments it covers, and only lengthens it; the estimate is a low quantile of the last
// `segments` segments' times, so a backlog covering less than 1 - quantile of that history
// does not inflate it, while a lasting change (a slower backend, or an overload that persists
// at maxReplicas) does, within that share of the history.
//
// Deterministic, no clock: durations are passed in. Not thread-safe: one owner thread. Memory is
// bounded by `segments`.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace portico::autoscaler {

struct ServiceTimeOptions {
  double segment_seconds = 10;
  std::size_t segments = 30;
  double quantile = 0.25;
  // A segment with fewer arrivals says too little about the time in system and is dropped.
  int64_t min_arrivals = 20;
};

class ServiceTimeEstimate {
 public:
  explicit ServiceTimeEstimate(const ServiceTimeOptions& options);

  // An interval of `seconds` with `request_seconds` of time-weighted requests in flight and
  // `arrivals` requests arriving.
  void add(double seconds, double request_seconds, int64_t arrivals);
  // An interval whose arrivals are unknown: the open segment cannot be attributed and is dropped.
  void skip();

  // Seconds, once one segment has closed with enough arrivals.
  std::optional<double> seconds() const { return seconds_; }

 private:
  void close_segment();

  ServiceTimeOptions options_;
  double open_seconds_ = 0;
  double open_request_seconds_ = 0;
  int64_t open_arrivals_ = 0;
  std::deque<double> times_;  // per closed segment, oldest first
  std::vector<double> sorted_;
  std::optional<double> seconds_;
};

}  // namespace portico::autoscaler
