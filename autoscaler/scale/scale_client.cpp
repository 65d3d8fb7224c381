#include "autoscaler/scale/scale_client.h"

namespace portico::autoscaler {

Result<ScaleOutcome> scale_to(ScaleClient& client, const ScaleTarget& target, int32_t decided_from,
                              int32_t replicas, int attempts) {
  const std::string what = "deployments/" + target.namespace_ + "/" + target.name + "/scale";
  for (int attempt = 1;; ++attempt) {
    Result<Scale> read = client.read(target);
    if (!read) return Error{what + ": " + read.error()};
    ScaleOutcome outcome{false, false, read.value().spec_replicas, read.value()};
    if (outcome.previous == replicas) return outcome;
    if (outcome.previous != decided_from) {
      outcome.superseded = true;
      return outcome;
    }
    Result<ScaleClient::WriteResult> written = client.write(target, read.value(), replicas);
    if (!written) return Error{what + ": " + written.error()};
    if (written.value() == ScaleClient::WriteResult::kWritten) {
      outcome.written = true;
      return outcome;
    }
    if (attempt >= attempts) {
      return Error{what + ": still conflicting after " + std::to_string(attempts) + " writes"};
    }
  }
}

}  // namespace portico::autoscaler
