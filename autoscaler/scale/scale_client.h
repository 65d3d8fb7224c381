#pragma once
// The autoscaler's only write to a workload: its scale subresource (autoscaling/v1 Scale), as
// the HPA does it. ScaleClient is the seam: the API implementation below, a scripted one in
// the simulation.
#include <cstdint>
#include <string>

#include "common/result.h"

namespace portico::autoscaler {

struct ScaleTarget {
  std::string namespace_;
  std::string name;  // a Deployment
};

struct Scale {
  int32_t spec_replicas = 0;    // what the Deployment is asked for
  int32_t status_replicas = 0;  // what it has
  std::string selector;         // status.selector: "app=web" (the pods the metrics are of)
  std::string resource_version;
};

// Thread contract is the implementation's; both calls block.
class ScaleClient {
 public:
  virtual ~ScaleClient() = default;
  virtual Result<Scale> read(const ScaleTarget& target) = 0;
  // Writes spec.replicas with `seen.resource_version` as precondition. kConflict when the
  // Deployment changed since `seen` was read.
  enum class WriteResult { kWritten, kConflict };
  virtual Result<WriteResult> write(const ScaleTarget& target, const Scale& seen,
                                    int32_t replicas) = 0;
};

// What scale_to() did.
struct ScaleOutcome {
  bool written = false;  // false: no write (the count was already `replicas`, or superseded)
  // spec.replicas was no longer the count the decision started from: another writer (kubectl
  // scale, a new leader) changed it meanwhile, and a decision taken against the old count is
  // not written over theirs.
  bool superseded = false;
  int32_t previous = 0;  // spec.replicas before
  Scale scale;           // the last one read
};

// Sets the target's replicas from `decided_from` to `replicas`: reads, writes only when the
// count differs, and on a conflict re-reads and tries again, at most `attempts` writes in all,
// as long as spec.replicas is still `decided_from` (a conflict on another field, the status
// say, is retried; a changed count is superseded, not overwritten).
Result<ScaleOutcome> scale_to(ScaleClient& client, const ScaleTarget& target, int32_t decided_from,
                              int32_t replicas, int attempts = 3);

}  // namespace portico::autoscaler
