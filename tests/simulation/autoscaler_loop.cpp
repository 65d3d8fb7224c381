#include "tests/simulation/autoscaler_loop.h"

#include <algorithm>
#include <map>
#include <utility>

#include "autoscaler/scale/scale_client.h"
#include "controller/decode/quantity.h"

namespace portico::simulation {
namespace {

autoscaler::MetricSample cpu_sample(Millis now, const Deployment& deployment,
                                    const MetricsServer& metrics) {
  Result<std::vector<PodMetrics>> listed = metrics.pod_metrics(now);
  if (!listed) return autoscaler::InvalidSample{listed.error()};
  std::map<std::string, const PodMetrics*> by_pod;
  for (const PodMetrics& item : listed.value()) by_pod[item.pod] = &item;
  autoscaler::CpuSample sample;
  for (const Pod& pod : deployment.pods()) {
    autoscaler::PodSample& out = sample.pods.emplace_back();
    out.name = pod.name;
    // Starting pods run their container but are not Ready yet; deleted ones are left out.
    out.phase = pod.terminating ? autoscaler::PodSample::Phase::kIgnored
                                : autoscaler::PodSample::Phase::kRunning;
    out.cpu_request_milli = deployment.options().cpu_request_milli;
    out.ready = pod.ready(now);
    auto found = by_pod.find(pod.name);
    if (found == by_pod.end()) continue;
    Result<int64_t> usage = controller::parse_milli_value(found->second->cpu);
    if (!usage) return autoscaler::InvalidSample{"cpu of " + pod.name + ": " + usage.error()};
    out.cpu_usage_milli = usage.value();
    // As the HPA's CPU initialization rule: usage measured partly before the pod was ready
    // (start-up work) does not count as a ready pod's.
    out.ready = out.ready && found->second->timestamp - found->second->window >= pod.ready_at;
  }
  return sample;
}

}  // namespace

AutoscalerLoop::AutoscalerLoop(LoopOptions options, SimScaleApi& api)
    : options_(std::move(options)),
      api_(api),
      queue_signal_(options_.signal),
      schedule_(std::chrono::milliseconds(options_.sync_period), to_time_point(0)) {
  for (const controller::ScalingMetric& metric : options_.policy.metrics) {
    if (const auto* queue = std::get_if<controller::QueueDepthMetric>(&metric)) {
      queue_spec_ = autoscaler::TotalMetricSpec{"queueDepth", "queue depth",
                                                queue->target_per_replica, queue->thresholds};
    }
  }
}

autoscaler::MetricSample AutoscalerLoop::sample(const controller::ScalingMetric& metric, Millis now,
                                                const Deployment& deployment,
                                                const MetricsServer& metrics) const {
  if (std::holds_alternative<controller::CpuMetric>(metric)) {
    return cpu_sample(now, deployment, metrics);
  }
  if (std::holds_alternative<controller::QueueDepthMetric>(metric)) {
    return autoscaler::TotalSample{queue_signal_.value()};
  }
  return autoscaler::InvalidSample{"the simulation has no Prometheus"};
}

void AutoscalerLoop::step(Millis now, const Deployment& deployment, const ProxyModel& proxy,
                          const MetricsServer& metrics) {
  // As the leader will: every reading, the total in flight or held, the arrivals counter and
  // the ready pods; then whether a scale-up is due at the replicas it knows of.
  std::optional<int64_t> arrivals;
  if (options_.arrivals_counter) arrivals = proxy.counts().arrived;
  queue_signal_.observe(to_time_point(now), proxy.queue_depth(), arrivals,
                        deployment.ready_pods(now));
  if (options_.queue_depth_events && queue_spec_) {
    const double level = autoscaler::total_scale_up_level(
        *queue_spec_, known_replicas_, deployment.ready_pods(now), options_.policy.behavior);
    if (queue_signal_.should_evaluate(level)) schedule_.request();
  }
  const autoscaler::TimePoint at = to_time_point(now);
  if (now < busy_until_ || !schedule_.due(at)) return;
  const bool done = evaluate(now, schedule_.for_event(at), deployment, proxy, metrics);
  schedule_.evaluated(at, to_time_point(busy_until_), done);
}

bool AutoscalerLoop::evaluate(Millis now, bool on_event, const Deployment& deployment,
                              const ProxyModel& proxy, const MetricsServer& metrics) {
  api_.begin(now);
  Result<autoscaler::Scale> scale = api_.read(target_);
  if (!scale) {
    ++failed_evaluations_;
    busy_until_ = api_.cursor();
    return false;
  }
  autoscaler::DecisionInput input;
  input.policy = &options_.policy;
  input.current_replicas = scale.value().spec_replicas;
  known_replicas_ = input.current_replicas;
  input.ready_replicas = deployment.ready_pods(now);
  for (const controller::ScalingMetric& metric : options_.policy.metrics) {
    input.samples.push_back(sample(metric, now, deployment, metrics));
  }
  input.requests_in_flight = queue_signal_.requests();
  // Before any request the loop counts idleness from its own start, time 0, as the real loop
  // seeds it with the time it started watching.
  if (proxy.last_arrival()) input.last_request = to_time_point(*proxy.last_arrival());
  input.last_active = to_time_point(proxy.last_arrival().value_or(0));
  input.history = history_;
  input.now = to_time_point(now);
  autoscaler::Decision decision = autoscaler::decide_replicas(input);

  Evaluation& evaluation = evaluations_.emplace_back();
  evaluation.at = now;
  evaluation.on_event = on_event;
  evaluation.current = input.current_replicas;
  evaluation.desired = decision.desired_replicas;
  for (const autoscaler::MetricProposal& proposal : decision.proposals) {
    evaluation.proposed = std::max(evaluation.proposed, proposal.replicas.value_or(0));
  }

  // The recommendation is remembered whatever the write does; a replica change is recorded
  // for the rate policies only once the write has landed (the HPA's storeScaleEvent).
  history_ = std::move(decision.history);
  if (decision.desired_replicas == input.current_replicas) {
    busy_until_ = api_.cursor();
    return true;
  }
  Result<autoscaler::ScaleOutcome> outcome =
      autoscaler::scale_to(api_, target_, input.current_replicas, decision.desired_replicas);
  busy_until_ = api_.cursor();
  if (!outcome) {
    ++failed_evaluations_;
    return false;
  }
  if (!outcome.value().written) return true;
  known_replicas_ = decision.desired_replicas;
  autoscaler::record_scale_event(history_, options_.policy.behavior, outcome.value().previous,
                                 decision.desired_replicas, to_time_point(api_.cursor()));
  writes_.push_back({api_.cursor(), outcome.value().previous, decision.desired_replicas, on_event,
                     decision.reason});
  return true;
}

}  // namespace portico::simulation
