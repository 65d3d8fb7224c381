#pragma once
// Passive health: every worker reports each attempt's outcome against its endpoint; after
// `consecutive_failures` failures in a row (connect failures, resets, 5xx) the endpoint is
// ejected for base_ejection x (its ejection count + 1), at most max_ejection, unless
// max_ejection_percent of the backend's endpoints are ejected already (Envoy's outlier
// detection, reduced to the consecutive-failure rule). Readmission is the ejection running
// out; the balancers skip ejected and check-failing endpoints (see available()).
//
// Threads: any worker, concurrently: only relaxed atomics of EndpointState; two workers
// racing to eject the same endpoint eject it once (compare-exchange on ejected_until_ns).
#include <cstdint>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

// Passing active checks and not ejected at `now_ns`.
inline bool available(const EndpointState& state, int64_t now_ns) {
  return state.check_passing.load(std::memory_order_relaxed) &&
         state.ejected_until_ns.load(std::memory_order_relaxed) <= now_ns;
}

// True when this call ejected the endpoint (the caller logs it).
bool record_outcome(const Backend& backend, EndpointState& state, bool failed, int64_t now_ns);

}  // namespace portico::proxy
