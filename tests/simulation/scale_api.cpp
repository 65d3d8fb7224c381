#include "tests/simulation/scale_api.h"

namespace portico::simulation {

SimScaleApi::SimScaleApi(int32_t initial_replicas, const ScaleApiOptions& options, Random faults)
    : options_(options),
      faults_(faults),
      replicas_(initial_replicas),
      seen_replicas_(initial_replicas) {}

Millis SimScaleApi::latency() {
  return faults_.uniform_int(options_.min_latency, options_.max_latency);
}

bool SimScaleApi::fails() {
  if (!faults_.bernoulli(options_.server_error_probability)) return false;
  ++counts_.server_errors;
  return true;
}

Result<autoscaler::Scale> SimScaleApi::read(const autoscaler::ScaleTarget& target) {
  ++counts_.reads;
  cursor_ += latency();
  if (fails()) return Error{"GET deployments/" + target.name + "/scale: 503 Service Unavailable"};
  return autoscaler::Scale{replicas_, seen_replicas_, "app=web", std::to_string(resource_version_)};
}

Result<autoscaler::ScaleClient::WriteResult> SimScaleApi::write(
    const autoscaler::ScaleTarget& target, const autoscaler::Scale& seen, int32_t replicas) {
  ++counts_.writes;
  cursor_ += latency();
  if (fails()) return Error{"PUT deployments/" + target.name + "/scale: 500 Internal Server Error"};
  if (faults_.bernoulli(options_.conflict_probability)) ++resource_version_;
  if (seen.resource_version != std::to_string(resource_version_)) {
    ++counts_.conflicts;
    return WriteResult::kConflict;
  }
  replicas_ = replicas;
  ++resource_version_;
  landed_.push_back({cursor_, replicas});
  return WriteResult::kWritten;
}

int32_t SimScaleApi::spec_replicas(Millis now) {
  while (!landed_.empty() && landed_.front().at <= now) {
    seen_replicas_ = landed_.front().replicas;
    landed_.pop_front();
  }
  return seen_replicas_;
}

}  // namespace portico::simulation
