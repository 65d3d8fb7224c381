#pragma once
// The rules of client-go's LeaderElector.tryAcquireOrRenew (tools/leaderelection), as pure
// functions: what a candidate does with the Lease it just read. Pure; any thread.
//
// Clock-skew rule (ported as is): a candidate never trusts the timestamps in the record, which
// another node's clock wrote. It remembers when it, on its own monotonic clock, last saw the
// record change; the lease is valid until that moment plus the record's leaseDurationSeconds.
// A holder that keeps renewing keeps changing the record, so it keeps the lease valid in
// every observer's eyes whatever their wall clocks say.
#include <chrono>
#include <optional>
#include <string_view>

#include "controller/election/lease_record.h"

namespace portico::controller::election {

using LocalTime = std::chrono::steady_clock::time_point;

// One reading of both clocks: `local` for validity (monotonic, this process only), `wall` for
// the timestamps written into the record (seen by everyone, trusted by no one).
struct ElectionClock {
  LocalTime local;
  WallTime wall;
};

// What this candidate last saw of the Lease, and when it saw it change.
struct Observation {
  LeaseRecord record;
  LocalTime observed_at;
};

// client-go isLeaseValid: the observed record's duration has not run out since it was seen
// to change.
bool lease_valid(const Observation& observation, LocalTime now);

enum class LeaseAction {
  kCreate,    // no Lease yet: create it, holding it
  kTakeOver,  // another holder's lease expired, or nobody holds it: transitions + 1
  kRenew,     // it is ours: keep acquireTime and transitions, push renewTime
  kFollow,    // held by someone else and still valid: write nothing
};

struct LeaseDecision {
  LeaseAction action = LeaseAction::kFollow;
  // The record to write (resourceVersion: the one read, for the update's precondition); for
  // kFollow, the record as read.
  LeaseRecord record;
  // What to remember until the next round (before any write: a successful write is a new
  // observation of its own). nullopt only while nothing has ever been seen.
  std::optional<Observation> observation;
};

// Steps 2-4 of tryAcquireOrRenew. `current` is the Lease as just read (nullopt: 404),
// `previous` what this candidate observed before (nullopt: nothing yet), `lease_duration`
// the configured duration, written as whole seconds like client-go does.
LeaseDecision decide_lease(const std::optional<LeaseRecord>& current,
                           const std::optional<Observation>& previous, std::string_view identity,
                           std::chrono::seconds lease_duration, ElectionClock now);

// Step 1 of tryAcquireOrRenew, the leader's fast path: when this candidate is the observed
// holder and its observation is still valid, the renewed record to write without reading the
// Lease first (resourceVersion: the observed one, so a concurrent change makes it fail with
// 409). nullopt: read the Lease and call decide_lease().
std::optional<LeaseRecord> optimistic_renewal(const std::optional<Observation>& previous,
                                              std::string_view identity,
                                              std::chrono::seconds lease_duration,
                                              ElectionClock now);

// client-go tryRelease with ReleaseOnCancel: the record a holder writes when it steps down,
// so that the others take over at their next try instead of waiting for expiry (empty holder,
// leaseDurationSeconds 1, transitions and resourceVersion kept).
LeaseRecord released_record(const LeaseRecord& current, WallTime now);

}  // namespace portico::controller::election
