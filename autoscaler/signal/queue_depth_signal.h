#pragma once
// The queue-depth signal of one Service: what the autoscaler loop reads as the queueDepth
// metric's TotalSample, and when it should evaluate without waiting for its tick.
//
// Input, every 100-200 ms: the requests in flight or held at Portico for the Service, summed
// over every Portico replica, and, when every replica exports it, the cumulative count of
// requests that arrived.
//
// What it reports is demand, in requests in flight: arrival rate x time in system (Little's
// law, the time from ServiceTimeEstimate). Unlike the in-flight count, that does not saturate
// at pods x concurrency and does not count the backlog that builds while new pods start, which
// would ask for replicas that are idle once it drains. Without arrivals it reports the
// time-weighted mean of the in-flight count itself, which does count a backlog.
//
// Fast up, slow down: the figure is the mean over the window since the last significant rise,
// at most `window` long. A rise is found by a Poisson likelihood-ratio scan of the last
// `rise_horizon` against the level before it, so a step is read from the moment it began within
// one or two observations, while steady load is averaged over the whole window (its noise stays
// far inside the tolerance band) and a fall is followed only as the window slides.
//
// The figure is a lower confidence bound (`lower_bound_sigmas` standard errors of the count
// under the mean, Poisson's widened by the dispersion measured before the rise horizon): a
// decision taken on few observations right after a rise asks for no more than the evidence
// supports, and the next decisions add the rest as it comes in. Scaling up in two writes
// costs a few seconds; scaling past the need costs a reversal later.
//
// While no pod is ready nothing is served, and the figure is at least the requests held.
//
// Deterministic: no clock reads, time is passed in. Not thread-safe: one owner thread (the
// autoscaler loop's). Memory is bounded: observations closer together than `resolution` are
// merged, so at most window / resolution records are kept.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "autoscaler/decision/recommendation_history.h"
#include "autoscaler/signal/service_time_estimate.h"

namespace portico::autoscaler {

struct QueueDepthSignalOptions {
  // The longest the mean reaches back: long enough that steady load's Poisson noise stays well
  // inside the tolerance band, short enough to follow a fall before the scale-down window ends.
  std::chrono::milliseconds window{60'000};
  // Readings closer together than this are merged into one interval: the memory bound.
  std::chrono::milliseconds resolution{50};
  // How far back a rise may have begun, and how much level before it a rise is measured against.
  std::chrono::milliseconds rise_horizon{5'000};
  std::chrono::milliseconds rise_reference{1'000};
  // The log-likelihood ratio, "rate since then is higher" over "rate unchanged", that makes a
  // rise: at 15 a single test under Poisson noise passes with odds of about e^-15, and the
  // simulation's 20 hours of steady load saw none.
  double rise_evidence = 15;
  // How far below the mean the figure is taken, in standard errors.
  double lower_bound_sigmas = 2;
  // Counts are compared with Poisson's spread over blocks this long, to scale the evidence and
  // the bound for bursty arrivals and for in-flight readings correlated over a service time.
  std::chrono::milliseconds dispersion_block{1'000};
  ServiceTimeOptions service_time;
};

class QueueDepthSignal {
 public:
  explicit QueueDepthSignal(QueueDepthSignalOptions options = {});

  // One reading at `now` (later than the previous one; an earlier or equal time is ignored).
  // `requests`: in flight or held, summed over every Portico replica. `arrivals`: the
  // cumulative arrival counter summed over the same replicas as the previous reading; unset
  // when any replica's is unknown or the set of replicas changed. A decrease is taken as a
  // counter reset and that interval's arrivals as unknown. `ready_replicas`: the target's ready
  // pods; while there are none nothing is served, and the requests held are the demand.
  void observe(TimePoint now, int64_t requests, std::optional<int64_t> arrivals,
               int32_t ready_replicas);

  // The queueDepth metric's total for decide_replicas() (TotalSample::total).
  double value() const { return value_; }

  // True once each time the signal rises above `scale_up_level`, the total above which the
  // metric proposes a scale-up (total_scale_up_level()); 0 when the target has no replica, where
  // any request in flight or held crosses it (the cold-start trigger). True again while above
  // when the level has risen since (the evaluation added replicas, fewer than the figure asks
  // for). Call it after each observe() and run an evaluation at once when it says so.
  bool should_evaluate(double scale_up_level);

  // For status and tests: the latest reading, when the current rise began, the time in system.
  int64_t requests() const { return requests_; }
  std::optional<TimePoint> rise_began() const { return rise_began_; }
  std::optional<double> service_seconds() const { return service_time_.seconds(); }
  // Whether value() is arrival rate x time in system (else the mean in flight).
  bool from_arrivals() const { return from_arrivals_; }
  // Intervals kept: at most window / resolution + 2, however often observe() is called.
  std::size_t intervals_kept() const { return records_.size(); }

 private:
  // One interval between readings (or several merged ones shorter than `resolution`).
  struct Record {
    TimePoint begin;
    TimePoint end;
    double request_seconds = 0;  // time-weighted requests in flight
    int64_t arrivals = 0;
    bool arrivals_known = true;
    int64_t readings_sum = 0;  // the readings that closed it, for the level's Poisson tests
    int64_t readings = 0;

    // Takes in the interval that follows.
    void extend(const Record& next);
  };

  void append(const Record& record);
  // The start of the mean's window: the current rise, or `window` back.
  TimePoint window_start() const;
  // Calls `each` with the records that began in [from, until), oldest first.
  template <typename Each>
  void for_each_between(TimePoint from, TimePoint until, Each each) const;
  // The variance of the counts over blocks of `dispersion_block` in [from, until) as a multiple
  // of a Poisson count's (at least 1): arrivals, or the in-flight readings.
  double dispersion(TimePoint from, TimePoint until, bool by_arrivals) const;
  void find_rise();
  void update_value();

  QueueDepthSignalOptions options_;
  std::deque<Record> records_;  // oldest first, covering at most `window`
  ServiceTimeEstimate service_time_;
  std::optional<TimePoint> last_at_;
  int64_t requests_ = 0;
  std::optional<int64_t> arrivals_;
  std::optional<TimePoint> rise_began_;
  bool from_arrivals_ = false;
  bool serving_ = false;
  double value_ = 0;
  bool above_ = false;
  double evaluated_level_ = 0;  // the level of the last evaluation asked for
};

}  // namespace portico::autoscaler
