#include "autoscaler/signal/queue_depth_signal.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace portico::autoscaler {
namespace {

double seconds_between(TimePoint begin, TimePoint end) {
  return std::chrono::duration<double>(end - begin).count();
}

// The Poisson log-likelihood ratio of "the rate was observed / expected times the reference"
// over "the reference rate held", for a rise only (0 when nothing rose). From no activity at
// all, any activity is a rise.
double rise_evidence(double observed, double expected) {
  if (observed <= expected) return 0;
  if (expected <= 0) return std::numeric_limits<double>::infinity();
  return observed * std::log(observed / expected) - (observed - expected);
}

// Sums over a run of records. The Poisson tests count either arrivals per second or the
// in-flight readings per reading: count() over exposure() is the rate either way.
struct Sums {
  double seconds = 0;
  double request_seconds = 0;
  int64_t arrivals = 0;
  bool arrivals_known = true;
  int64_t readings_sum = 0;
  int64_t readings = 0;

  template <typename Record>
  void add(const Record& record) {
    seconds += seconds_between(record.begin, record.end);
    request_seconds += record.request_seconds;
    arrivals += record.arrivals;
    arrivals_known = arrivals_known && record.arrivals_known;
    readings_sum += record.readings_sum;
    readings += record.readings;
  }

  Sums minus(const Sums& other) const {
    return {seconds - other.seconds,           request_seconds - other.request_seconds,
            arrivals - other.arrivals,         arrivals_known,
            readings_sum - other.readings_sum, readings - other.readings};
  }

  double count(bool by_arrivals) const {
    return static_cast<double>(by_arrivals ? arrivals : readings_sum);
  }
  double exposure(bool by_arrivals) const {
    return by_arrivals ? seconds : static_cast<double>(readings);
  }
};

// Fewer blocks than this say too little about the dispersion, which is then taken as Poisson's.
constexpr int kMinDispersionBlocks = 5;

}  // namespace

QueueDepthSignal::QueueDepthSignal(QueueDepthSignalOptions options)
    : options_(options), service_time_(options.service_time) {}

void QueueDepthSignal::observe(TimePoint now, int64_t requests, std::optional<int64_t> arrivals,
                               int32_t ready_replicas) {
  requests = std::max<int64_t>(requests, 0);
  if (last_at_ && now <= *last_at_) return;
  serving_ = ready_replicas > 0;
  if (!last_at_) {
    last_at_ = now;
    requests_ = requests;
    arrivals_ = arrivals;
    value_ = static_cast<double>(requests);
    return;
  }
  Record record;
  record.begin = *last_at_;
  record.end = now;
  const double seconds = seconds_between(record.begin, record.end);
  // The count moved between the two readings at unknown times: the trapezoid is the unbiased
  // guess.
  record.request_seconds = static_cast<double>(requests_ + requests) / 2 * seconds;
  record.arrivals_known = arrivals && arrivals_ && *arrivals >= *arrivals_;
  record.arrivals = record.arrivals_known ? *arrivals - *arrivals_ : 0;
  record.readings_sum = requests;
  record.readings = 1;
  append(record);
  if (record.arrivals_known) {
    service_time_.add(seconds, record.request_seconds, record.arrivals);
  } else {
    service_time_.skip();
  }
  last_at_ = now;
  requests_ = requests;
  arrivals_ = arrivals;

  while (!records_.empty() && records_.front().begin < now - options_.window) {
    records_.pop_front();
  }
  find_rise();
  update_value();
}

void QueueDepthSignal::Record::extend(const Record& next) {
  end = next.end;
  request_seconds += next.request_seconds;
  arrivals += next.arrivals;
  arrivals_known = arrivals_known && next.arrivals_known;
  readings_sum += next.readings_sum;
  readings += next.readings;
}

void QueueDepthSignal::append(const Record& record) {
  if (!records_.empty() && records_.back().end - records_.back().begin < options_.resolution) {
    records_.back().extend(record);
  } else {
    records_.push_back(record);
  }
}

TimePoint QueueDepthSignal::window_start() const {
  const TimePoint sliding = *last_at_ - options_.window;
  return rise_began_ ? std::max(*rise_began_, sliding) : sliding;
}

template <typename Each>
void QueueDepthSignal::for_each_between(TimePoint from, TimePoint until, Each each) const {
  for (const Record& record : records_) {
    if (record.begin >= from && record.begin < until) each(record);
  }
}

double QueueDepthSignal::dispersion(TimePoint from, TimePoint until, bool by_arrivals) const {
  Sums reference;
  for_each_between(from, until, [&](const Record& record) { reference.add(record); });
  if (reference.count(by_arrivals) <= 0 || reference.exposure(by_arrivals) <= 0) return 1;
  const double rate = reference.count(by_arrivals) / reference.exposure(by_arrivals);
  const double block_seconds = std::chrono::duration<double>(options_.dispersion_block).count();
  Sums block;
  double chi_square = 0;
  int blocks = 0;
  for_each_between(from, until, [&](const Record& record) {
    block.add(record);
    if (block.seconds < block_seconds) return;
    const double expected = rate * block.exposure(by_arrivals);
    const double excess = block.count(by_arrivals) - expected;
    chi_square += excess * excess / expected;
    ++blocks;
    block = Sums{};
  });
  if (blocks < kMinDispersionBlocks) return 1;
  return std::max(1.0, chi_square / (blocks - 1));
}

void QueueDepthSignal::find_rise() {
  const TimePoint start = window_start();
  const TimePoint now = *last_at_;
  Sums total;
  for_each_between(start, now, [&](const Record& record) { total.add(record); });
  // Arrivals when every interval has them (a rate step shows in them before any queue builds);
  // else the in-flight readings, Poisson-distributed on steady load (M/G/inf). Either way the
  // evidence is scaled down by how much more the counts vary than Poisson's before the horizon
  // (bursty arrivals; in-flight readings closer together than a service time are correlated).
  const bool by_arrivals = total.arrivals_known;
  const TimePoint horizon = now - options_.rise_horizon;
  const double spread = dispersion(start, horizon, by_arrivals);
  const double reference_seconds = std::chrono::duration<double>(options_.rise_reference).count();
  Sums recent;
  double strongest = 0;
  std::optional<TimePoint> began;
  for (auto record = records_.rbegin();
       record != records_.rend() && record->begin >= start && record->begin >= horizon; ++record) {
    recent.add(*record);
    const Sums before = total.minus(recent);
    if (before.seconds < reference_seconds) break;
    if (before.exposure(by_arrivals) <= 0) continue;
    const double expected =
        before.count(by_arrivals) / before.exposure(by_arrivals) * recent.exposure(by_arrivals);
    const double evidence = rise_evidence(recent.count(by_arrivals), expected) / spread;
    if (evidence > strongest) {
      strongest = evidence;
      began = record->begin;
    }
  }
  if (strongest >= options_.rise_evidence) rise_began_ = began;
}

void QueueDepthSignal::update_value() {
  const TimePoint start = window_start();
  const TimePoint now = *last_at_;
  Sums window;
  for_each_between(start, now, [&](const Record& record) { window.add(record); });
  const std::optional<double> service = service_time_.seconds();
  from_arrivals_ = window.arrivals_known && service.has_value();
  if (window.seconds <= 0) {
    value_ = static_cast<double>(requests_);
    return;
  }
  const double mean = from_arrivals_
                          ? static_cast<double>(window.arrivals) / window.seconds * *service
                          : window.request_seconds / window.seconds;
  // The mean's relative standard error: 1/sqrt(count) for a Poisson count, sqrt(dispersion)
  // times that for one that varies more.
  const double count = window.count(from_arrivals_);
  const double spread = dispersion(start, now - options_.rise_horizon, from_arrivals_);
  const double bound = count > 0 ? 1 - options_.lower_bound_sigmas * std::sqrt(spread / count) : 1;
  value_ = mean * std::max(bound, 0.0);
  // With no pod ready the requests held wait for any pod at all, however low the rate: more
  // pods starting also means the first is ready sooner when some start slowly.
  if (!serving_) value_ = std::max(value_, static_cast<double>(requests_));
}

bool QueueDepthSignal::should_evaluate(double scale_up_level) {
  const bool above = scale_up_level > 0 ? value_ > scale_up_level : requests_ > 0;
  // Again while still above when the level has risen since the last evaluation asked for:
  // that one added replicas, not all the figure asks for.
  const bool fire = above && (!above_ || scale_up_level > evaluated_level_);
  if (fire) evaluated_level_ = scale_up_level;
  above_ = above;
  return fire;
}

}  // namespace portico::autoscaler
