#pragma once
// The autoscaler loop around the real decision, as the leader will run it, behind the
// simulation's clock, metrics and scale API: on each tick (and, if enabled, at once when the
// queue depth per ready replica rises above its target) it reads the scale subresource,
// builds one sample per metric of the policy (CPU from metrics.k8s.io through the real
// quantity parser, queue depth from the proxy), calls decide_replicas() unchanged, and
// writes a changed count with the real scale_to() (bounded re-read on 409). The HPA
// reference is this loop with the HPA's inputs. Single-threaded.
#include <cstdint>
#include <string>
#include <vector>

#include "autoscaler/decision/replica_decision.h"
#include "controller/model/scaling_policy.h"
#include "tests/simulation/deployment_model.h"
#include "tests/simulation/metrics_server.h"
#include "tests/simulation/proxy_model.h"
#include "tests/simulation/scale_api.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct LoopOptions {
  std::string name;
  controller::ScalingPolicy policy;
  Millis sync_period = 0;
  // Evaluate at once when the queue depth per ready replica rises above the queue-depth
  // metric's target, instead of waiting for the tick.
  bool queue_depth_events = false;
};

struct Evaluation {
  Millis at = 0;
  bool on_event = false;  // a queue-depth event (or its retry), not the tick
  int32_t current = 0;    // spec.replicas read
  int32_t proposed = 0;   // the largest metric proposal, before stabilization and rate limits
  int32_t desired = 0;
};

struct ScaleWrite {
  Millis at = 0;  // when the write landed on the API server
  int32_t from = 0;
  int32_t to = 0;
  bool on_event = false;  // decided on a queue-depth event (or its retry), not on the tick
  std::string reason;
};

class AutoscalerLoop {
 public:
  AutoscalerLoop(LoopOptions options, SimScaleApi& api);

  // Once per simulation step, after the proxy and the metrics server have advanced to `now`.
  // An evaluation whose API calls are still under way defers the next one; one that failed
  // is retried after a short back-off, a bounded number of times.
  void step(Millis now, const Deployment& deployment, const ProxyModel& proxy,
            const MetricsServer& metrics);

  const LoopOptions& options() const { return options_; }
  const std::vector<Evaluation>& evaluations() const { return evaluations_; }
  const std::vector<ScaleWrite>& writes() const { return writes_; }
  // Evaluations that ended in an API error (5xx, or 409 after every retry).
  int64_t failed_evaluations() const { return failed_evaluations_; }

 private:
  // False when an API call failed (a 5xx, or 409 after every re-read).
  bool evaluate(Millis now, bool on_event, const Deployment& deployment, const ProxyModel& proxy,
                const MetricsServer& metrics);
  autoscaler::MetricSample sample(const controller::ScalingMetric& metric, Millis now,
                                  const Deployment& deployment, const ProxyModel& proxy,
                                  const MetricsServer& metrics) const;

  LoopOptions options_;
  SimScaleApi& api_;
  const autoscaler::ScaleTarget target_{"shop", "web"};
  double queue_target_ = 0;  // 0: no queue-depth metric, so no events
  Millis next_tick_ = 0;
  Millis busy_until_ = 0;
  bool above_target_ = false;
  bool event_pending_ = false;
  static constexpr int kFailureRetries = 3;
  static constexpr Millis kRetryBackoff = 500;
  int retries_left_ = 0;
  Millis retry_at_ = 0;
  bool retry_on_event_ = false;
  autoscaler::RecommendationHistory history_;
  std::vector<Evaluation> evaluations_;
  std::vector<ScaleWrite> writes_;
  int64_t failed_evaluations_ = 0;
};

}  // namespace portico::simulation
