#pragma once
// A coordination.k8s.io/v1 Lease as JSON, both ways (cpprestsdk web::json). Pure; any thread.
#include <string>

#include "common/result.h"
#include "controller/election/lease_record.h"

namespace portico::controller::election {

// The Lease `namespace_`/`name` carrying `record` (metadata.resourceVersion when the record
// has one, for a PUT's precondition).
std::string lease_json(const std::string& namespace_, const std::string& name,
                       const LeaseRecord& record);

// The record of a Lease the API server returned. Absent spec fields read as zero / empty,
// like client-go's LeaseSpecToLeaderElectionRecord; malformed JSON or timestamps are Errors.
Result<LeaseRecord> parse_lease(const std::string& json);

}  // namespace portico::controller::election
