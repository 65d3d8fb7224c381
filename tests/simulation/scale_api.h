#pragma once
// The Deployment's scale subresource as the API server serves it, behind the real
// ScaleClient seam: every call takes a latency drawn from `options`, a write can meet a 409
// (another writer, such as the Deployment controller's status update, moved the
// resourceVersion) or a 5xx. The loop's calls block, so the simulated client keeps a cursor:
// begin(now) starts a sequence of calls at `now`, each call moves the cursor by its latency,
// and a write lands on the server at the cursor. Single-threaded.
#include <cstdint>
#include <deque>
#include <string>

#include "autoscaler/scale/scale_client.h"
#include "tests/simulation/sim_random.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct ScaleApiOptions {
  Millis min_latency = 10;
  Millis max_latency = 60;
  double conflict_probability = 0.1;       // per write
  double server_error_probability = 0.05;  // per call
};

struct ScaleApiCounts {
  int64_t reads = 0;
  int64_t writes = 0;
  int64_t conflicts = 0;
  int64_t server_errors = 0;
};

class SimScaleApi final : public autoscaler::ScaleClient {
 public:
  SimScaleApi(int32_t initial_replicas, const ScaleApiOptions& options, Random faults);

  // Starts a blocking sequence of calls at `now`; cursor() is when the last one returned.
  void begin(Millis now) { cursor_ = now; }
  Millis cursor() const { return cursor_; }

  Result<autoscaler::Scale> read(const autoscaler::ScaleTarget& target) override;
  Result<WriteResult> write(const autoscaler::ScaleTarget& target, const autoscaler::Scale& seen,
                            int32_t replicas) override;

  // spec.replicas as the server has it at `now`: the Deployment controller's view.
  int32_t spec_replicas(Millis now);
  const ScaleApiCounts& counts() const { return counts_; }

 private:
  struct Landed {
    Millis at = 0;
    int32_t replicas = 0;
  };

  Millis latency();
  // A 5xx for this call, drawn.
  bool fails();

  ScaleApiOptions options_;
  Random faults_;
  Millis cursor_ = 0;
  int32_t replicas_;  // with every write up to cursor_ applied
  int64_t resource_version_ = 1;
  std::deque<Landed> landed_;  // writes not yet seen by spec_replicas()
  int32_t seen_replicas_;
  ScaleApiCounts counts_;
};

}  // namespace portico::simulation
