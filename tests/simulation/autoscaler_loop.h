#pragma once
// The autoscaler loop around the real decision, as the leader will run it, behind the
// simulation's clock, metrics and scale API. Every step it feeds the real QueueDepthSignal the
// proxy's in-flight total, its arrivals counter and the ready pods, as the leader will every
// 100-200 ms, and asks it whether a queue-depth scale-up is due. On each tick, and at once when
// it is, it reads the scale subresource, builds one sample per metric of the policy (CPU from
// metrics.k8s.io through the real quantity parser, queue depth from the signal), calls
// decide_replicas() unchanged, and writes a changed count with the real scale_to() (bounded
// re-read on 409). The HPA reference is this loop with the HPA's inputs. Single-threaded.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "autoscaler/decision/replica_decision.h"
#include "autoscaler/decision/total_replicas.h"
#include "autoscaler/loop/evaluation_schedule.h"
#include "autoscaler/signal/queue_depth_signal.h"
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
  // Evaluate at once when the queue-depth signal rises above the total at which the metric
  // proposes a scale-up, instead of waiting for the tick.
  bool queue_depth_events = false;
  // Whether Portico's replicas export their cumulative arrivals counter; without it the
  // signal works from the in-flight totals alone.
  bool arrivals_counter = true;
  autoscaler::QueueDepthSignalOptions signal;
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
                                  const Deployment& deployment, const MetricsServer& metrics) const;

  LoopOptions options_;
  SimScaleApi& api_;
  const autoscaler::ScaleTarget target_{"shop", "web"};
  autoscaler::QueueDepthSignal queue_signal_;
  std::optional<autoscaler::TotalMetricSpec> queue_spec_;  // unset: no queue-depth metric
  int32_t known_replicas_ = 0;                             // spec.replicas as last read or written
  autoscaler::EvaluationSchedule schedule_;
  Millis busy_until_ = 0;
  autoscaler::RecommendationHistory history_;
  std::vector<Evaluation> evaluations_;
  std::vector<ScaleWrite> writes_;
  int64_t failed_evaluations_ = 0;
};

}  // namespace portico::simulation
