#include "controller/election/lease_decision.h"

namespace portico::controller::election {
namespace {

WallTime micro_time(WallTime time) {
  return std::chrono::floor<std::chrono::microseconds>(time);
}

// The record tryAcquireOrRenew starts from: held by `identity`, acquired and renewed now.
LeaseRecord fresh_record(std::string_view identity, std::chrono::seconds lease_duration,
                         WallTime now) {
  LeaseRecord record;
  record.holder_identity = std::string(identity);
  record.lease_duration_seconds = static_cast<int32_t>(lease_duration.count());
  record.acquire_time = micro_time(now);
  record.renew_time = micro_time(now);
  return record;
}

}  // namespace

bool lease_valid(const Observation& observation, LocalTime now) {
  return observation.observed_at + std::chrono::seconds(observation.record.lease_duration_seconds) >
         now;
}

LeaseDecision decide_lease(const std::optional<LeaseRecord>& current,
                           const std::optional<Observation>& previous, std::string_view identity,
                           std::chrono::seconds lease_duration, ElectionClock now) {
  LeaseDecision decision;
  decision.record = fresh_record(identity, lease_duration, now.wall);
  if (!current) {
    decision.action = LeaseAction::kCreate;
    decision.observation = previous;
    return decision;
  }

  // Step 3: only a change of the record restarts the observed lease.
  Observation observation = Observation{*current, now.local};
  if (previous && previous->record.same_spec(*current)) {
    observation.observed_at = previous->observed_at;
  }
  decision.observation = observation;
  const bool held_by_me = current->holder_identity == identity;
  if (!current->holder_identity.empty() && !held_by_me && lease_valid(observation, now.local)) {
    decision.action = LeaseAction::kFollow;
    decision.record = *current;
    return decision;
  }

  // Step 4.
  if (held_by_me) {
    decision.action = LeaseAction::kRenew;
    decision.record.acquire_time = current->acquire_time;
    decision.record.lease_transitions = current->lease_transitions;
  } else {
    decision.action = LeaseAction::kTakeOver;
    decision.record.lease_transitions = current->lease_transitions + 1;
  }
  decision.record.resource_version = current->resource_version;
  return decision;
}

std::optional<LeaseRecord> optimistic_renewal(const std::optional<Observation>& previous,
                                              std::string_view identity,
                                              std::chrono::seconds lease_duration,
                                              ElectionClock now) {
  if (!previous || previous->record.holder_identity != identity ||
      !lease_valid(*previous, now.local)) {
    return std::nullopt;
  }
  LeaseRecord record = fresh_record(identity, lease_duration, now.wall);
  record.acquire_time = previous->record.acquire_time;
  record.lease_transitions = previous->record.lease_transitions;
  record.resource_version = previous->record.resource_version;
  return record;
}

LeaseRecord released_record(const LeaseRecord& current, WallTime now) {
  LeaseRecord record;
  record.lease_duration_seconds = 1;
  record.acquire_time = micro_time(now);
  record.renew_time = micro_time(now);
  record.lease_transitions = current.lease_transitions;
  record.resource_version = current.resource_version;
  return record;
}

}  // namespace portico::controller::election
