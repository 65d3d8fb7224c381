#pragma once
// Peak-EWMA response time, as Finagle's PeakEwma and linkerd's balancer keep it: an
// exponentially weighted moving average over unevenly spaced samples that jumps to a peak
// at once and only decays back slowly, so one slow response is enough to steer traffic away
// and recovery has to be earned over the decay time.
//
// Threads: record_latency() and peak_ewma_cost() may run on every worker at once; they use
// only EndpointState's atomics (relaxed, lock-free) and never allocate.
#include <cstdint>

#include "proxy/snapshot/endpoint_state.h"

namespace portico::proxy {

// The EWMA's time constant: a sample's weight falls to 1/e after this long, so the average
// is halfway to a lower sample after decay * ln 2 (about 6.9 s).
inline constexpr int64_t kPeakEwmaDecayNs = 10'000'000'000;

// The average after `sample_ns`, observed `elapsed_ns` after the previous one: the sample
// itself when it is higher (the peak), otherwise current * w + sample * (1 - w) with
// w = exp(-elapsed / decay). A negative elapsed (clocks read on different threads) counts
// as 0. Pure.
int64_t next_peak_ewma(int64_t current_ns, int64_t sample_ns, int64_t elapsed_ns,
                       int64_t decay_ns = kPeakEwmaDecayNs);

// Folds one response time into state.latency_ewma_ns and advances latency_updated_ns to
// `now_ns`. A compare-and-swap loop makes every concurrent sample count: no recorder
// overwrites another's result, and the average always stays between the lowest and the
// highest sample. Samples below 1 ns count as 1 ns, so that 0 keeps meaning "no sample".
// The average and its time stamp are two atomics, not one: a recorder racing another may
// decay by a slightly stale interval, which only shifts a weight, never the range.
void record_latency(EndpointState& state, int64_t sample_ns, int64_t now_ns);

// How expensive a request to the endpoint would be now, lower is better: the average,
// decayed toward 0 for the time since its last sample (as Finagle does when it reads the
// cost, so that an endpoint that was slow once is tried again after a while instead of
// starving forever), times (requests in flight + 1). The decayed average never goes below
// 1 ns, so the in-flight count still ranks endpoints whose samples have all faded.
// An endpoint without a sample costs 0 while nothing is in flight to it, so a new endpoint
// is probed at once; once a probe is in flight it costs a large penalty (Finagle's
// 2^47 ns, plus the in-flight count) until the first response lands, so that a new
// endpoint's apparent zero cost does not draw the whole load onto it.
double peak_ewma_cost(const EndpointState& state, int64_t now_ns);

}  // namespace portico::proxy
