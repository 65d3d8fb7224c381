#pragma once
// The leader-election record as a coordination.k8s.io/v1 Lease carries it (client-go's
// resourcelock.LeaderElectionRecord), plus the Lease's resourceVersion for optimistic
// concurrency. A plain value; any thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace portico::controller::election {

using WallTime = std::chrono::system_clock::time_point;

struct LeaseRecord {
  std::string holder_identity;  // empty: nobody holds the lease (a holder stepped down)
  int32_t lease_duration_seconds = 0;
  // MicroTime in the API: written with microsecond precision, so records built here are
  // truncated to microseconds and compare equal to what the server echoes back.
  std::optional<WallTime> acquire_time;
  std::optional<WallTime> renew_time;
  int32_t lease_transitions = 0;
  std::string resource_version;  // metadata.resourceVersion; empty for a Lease not yet created

  // Whether the spec fields match: client-go compares the records without the object's
  // metadata, so a write that changes nothing but the resourceVersion is not a renewal.
  bool same_spec(const LeaseRecord& other) const {
    return holder_identity == other.holder_identity &&
           lease_duration_seconds == other.lease_duration_seconds &&
           acquire_time == other.acquire_time && renew_time == other.renew_time &&
           lease_transitions == other.lease_transitions;
  }

  bool operator==(const LeaseRecord&) const = default;
};

}  // namespace portico::controller::election
