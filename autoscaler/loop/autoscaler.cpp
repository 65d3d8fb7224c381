#include "autoscaler/loop/autoscaler.h"

#include <set>
#include <variant>

#include "autoscaler/decision/number_text.h"
#include "autoscaler/decision/total_replicas.h"
#include "common/log.h"
#include "controller/kube/api_json.h"

namespace portico::autoscaler {
namespace {

using Clock = std::chrono::steady_clock;

controller::events::InvolvedObject involved(const controller::ScalingPolicy& policy) {
  return {"ScalingPolicy", controller::kScalingPolicyApiVersion, policy.meta.namespace_,
          policy.meta.name, policy.meta.uid};
}

}  // namespace

Autoscaler::Autoscaler(AutoscalerDependencies dependencies, AutoscalerOptions options)
    : deps_(std::move(dependencies)),
      options_(std::move(options)),
      scale_client_(deps_.client),
      board_(deps_.registry, options_.peers),
      metrics_(
          deps_.client,
          [this](const std::string& policy, const std::string& service) {
            const auto tracked = tracked_.find(policy);
            if (tracked == tracked_.end()) return 0.0;
            const auto watch = tracked->second.services.find(service);
            return watch == tracked->second.services.end() ? 0.0 : watch->second.signal.value();
          },
          options_.prometheus_timeout, options_.sync_period) {}

void Autoscaler::start() {
  board_.start();
  metrics_.start();
  loop_.start([this] { run(); });
}

void Autoscaler::stop() {
  loop_.stop();
  board_.stop();
  metrics_.stop();
}

void Autoscaler::run() {
  while (loop_.sleep_for(options_.poll_period)) {
    if (!deps_.is_leader()) {
      // A replica that leads again starts afresh: another one may have scaled meanwhile.
      board_.forget_peers();
      metrics_.track_prometheus({});
      if (!tracked_.empty()) {
        tracked_.clear();
        publish_figures();
      }
      continue;
    }
    round(Clock::now());
  }
}

void Autoscaler::round(TimePoint now) {
  // Polled every 100 ms: the store is copied again only when it has changed.
  const uint64_t changes = deps_.store.changes();
  if (!seen_store_changes_ || changes != *seen_store_changes_) {
    metrics_.set_contents(deps_.store.contents());
    seen_store_changes_ = changes;
  }
  const controller::StoreContents& contents = metrics_.contents();
  std::set<std::string> services;
  std::set<std::string> live;
  for (const auto& [key, policy] : contents.scaling_policies) {
    if (!options_.namespace_.empty() && policy->meta.namespace_ != options_.namespace_) continue;
    live.insert(key);
    for (std::string& service : controller::queue_depth_services(*policy)) {
      services.insert(std::move(service));
    }
  }
  std::erase_if(tracked_, [&](const auto& entry) { return !live.contains(entry.first); });
  std::set<std::string> targets;
  std::vector<const controller::ScalingPolicy*> live_policies;
  for (const std::string& key : live) {
    const controller::ScalingPolicy& policy = *contents.scaling_policies.at(key);
    targets.insert(policy.meta.namespace_ + "/" + policy.target_name);
    live_policies.push_back(&policy);
  }
  metrics_.track_prometheus(live_policies);
  std::erase_if(hpa_checks_, [&](const auto& entry) { return !targets.contains(entry.first); });
  board_.track(services);
  // Peers are read only while some policy counts the queue depth they see.
  if (services.empty()) {
    board_.forget_peers();
  } else {
    board_.refresh_peers(contents, now);
  }
  for (const std::string& key : live) {
    // An evaluation can take seconds (a slow API server): a replica that lost the Lease
    // meanwhile writes no more.
    if (!deps_.is_leader()) break;
    const std::shared_ptr<const controller::ScalingPolicy>& policy =
        contents.scaling_policies.at(key);
    auto [it, added] = tracked_.try_emplace(key, options_.sync_period, now);
    Tracked& tracked = it->second;
    // A restart (or a new leader) must read neither as hours of idleness nor as a request.
    if (added) tracked.state.last_active = now;
    tracked.policy = policy;
    if (observe_load(tracked, now)) tracked.schedule.request();
    if (!tracked.schedule.due(now)) continue;
    const bool succeeded = evaluate(tracked, now);
    tracked.schedule.evaluated(now, Clock::now(), succeeded);
  }
  publish_figures();
}

// Feeds the policy's queue-depth signals and activity; true when an evaluation should not
// wait for the tick: a signal rose past the level at which it asks for more replicas (at
// zero replicas, any request).
bool Autoscaler::observe_load(Tracked& tracked, TimePoint now) {
  const controller::ScalingPolicy& policy = *tracked.policy;
  int64_t in_flight = 0;
  bool arrived = false;
  bool due = false;
  for (const controller::ScalingMetric& metric : policy.metrics) {
    const auto* queue = std::get_if<controller::QueueDepthMetric>(&metric);
    if (queue == nullptr) continue;
    const std::string service = policy.meta.namespace_ + "/" + queue->service;
    const ServiceLoad load = board_.load(service);
    in_flight += load.in_flight;
    const int32_t ready = ready_endpoints(metrics_.contents(), service);
    ServiceWatch& watch = tracked.services[service];
    const std::optional<int64_t> all_arrivals =
        load.peers == watch.counted_peers ? load.arrivals : std::nullopt;
    watch.counted_peers = load.peers;
    // A request arrived if the counters of the same replicas moved since the last reading; the
    // first reading (a new leader's) only sets where they stand.
    if (all_arrivals && watch.arrivals_seen && *all_arrivals > *watch.arrivals_seen) arrived = true;
    watch.arrivals_seen = all_arrivals;
    watch.signal.observe(now, load.in_flight, all_arrivals, ready);
    const double level = total_scale_up_level(
        TotalMetricSpec{"queueDepth", "queue depth", queue->target_per_replica, queue->thresholds},
        tracked.state.status.current_replicas, ready, policy.behavior);
    if (watch.signal.should_evaluate(level)) due = true;
  }
  if (in_flight > 0 || arrived) tracked.state.last_request = tracked.state.last_active = now;
  tracked.state.requests_in_flight = in_flight;
  return due;
}

bool Autoscaler::evaluate(Tracked& tracked, TimePoint now) {
  const controller::ScalingPolicy& policy = *tracked.policy;
  const auto wall_now = std::chrono::system_clock::now();
  std::optional<Condition> conflict;
  if (const std::optional<std::string> older =
          older_policy_for_target(metrics_.contents().scaling_policies, policy)) {
    conflict = Condition{"AbleToScale", false, "ConflictingScalingPolicy",
                         "ScalingPolicy " + *older + " already scales Deployment " +
                             policy.target_name + "; delete one of them"};
  } else if (const std::optional<std::string> hpa = hpa_conflict(policy, now)) {
    conflict = Condition{"AbleToScale", false, "ConflictingHorizontalPodAutoscaler", *hpa};
  }
  if (conflict) {
    update_conditions(tracked.state.status.conditions, {*conflict}, wall_now);
    patch_status(tracked);
    return true;
  }
  if (!tracked.state.zero_chosen_before) read_previous_status(tracked);
  const Evaluation evaluation =
      evaluate_policy(policy, tracked.state, metrics_, scale_client_, now, wall_now);
  if (evaluation.scaled) {
    (evaluation.to > evaluation.from ? tracked.scale_ups : tracked.scale_downs) += 1;
    log::info("scaled", {{"policy", policy.meta.key()},
                         {"from", std::to_string(evaluation.from)},
                         {"to", std::to_string(evaluation.to)},
                         {"reason", evaluation.reason}});
    deps_.events.record(
        involved(policy), controller::events::EventType::kNormal, "SuccessfulRescale",
        "New size: " + std::to_string(evaluation.to) + "; reason: " + evaluation.reason);
  } else if (!evaluation.failure.empty()) {
    log::warn("cannot scale", {{"policy", policy.meta.key()}, {"error", evaluation.failure}});
    deps_.events.record(involved(policy), controller::events::EventType::kWarning, "FailedRescale",
                        evaluation.failure);
  }
  patch_status(tracked);
  return evaluation.failure.empty();
}

std::optional<std::string> Autoscaler::hpa_conflict(const controller::ScalingPolicy& policy,
                                                    TimePoint now) {
  const std::string key = policy.meta.namespace_ + "/" + policy.target_name;
  auto [it, added] = hpa_checks_.try_emplace(key);
  if (added || now - it->second.checked_at >= options_.hpa_recheck) {
    it->second = HpaCheck{
        now, find_conflicting_hpa(deps_.client, policy.meta.namespace_, policy.target_name)};
  }
  // An unreadable HPA list does not stop scaling: the conflict it might show is rare, and a
  // missing permission would otherwise disable every policy.
  if (!it->second.conflict || !it->second.conflict.value()) return std::nullopt;
  return "HorizontalPodAutoscaler " + *it->second.conflict.value() + " already scales Deployment " +
         policy.target_name + "; delete it or this policy";
}

// The store's ScalingPolicy leaves its status out (each status write would otherwise be a
// change to translate, holding the next endpoint change back by the debounce), so a new leader
// reads it once, for what its predecessor decided. Unread, it is tried again next time.
void Autoscaler::read_previous_status(Tracked& tracked) {
  const controller::ScalingPolicy& policy = *tracked.policy;
  Result<controller::kube::ApiResponse> response =
      deps_.client.call(controller::kube::Method::kGet,
                        "/apis/autoscaling.portico.io/v1alpha1/namespaces/" +
                            policy.meta.namespace_ + "/scalingpolicies/" + policy.meta.name);
  if (!response || response.value().status / 100 != 2) return;
  tracked.state.zero_chosen_before = status_says_zero_was_chosen(response.value().body);
}

void Autoscaler::patch_status(Tracked& tracked) {
  const controller::ScalingPolicy& policy = *tracked.policy;
  std::string patch = status_patch(policy, tracked.state.status);
  if (patch == tracked.last_patch) return;
  Result<controller::kube::ApiResponse> response = deps_.client.call(
      controller::kube::Method::kPatch,
      "/apis/autoscaling.portico.io/v1alpha1/namespaces/" + policy.meta.namespace_ +
          "/scalingpolicies/" + policy.meta.name + "/status",
      patch, "application/merge-patch+json");
  if (!response || response.value().status / 100 != 2) {
    log::warn("cannot write a ScalingPolicy's status",
              {{"policy", policy.meta.key()},
               {"error", response ? controller::kube::describe_error(response.value().status,
                                                                     response.value().body)
                                  : response.error()}});
    return;  // written again at the next evaluation
  }
  tracked.last_patch = std::move(patch);
}

void Autoscaler::publish_figures() {
  std::vector<PolicyFigures> figures;
  for (const auto& [key, tracked] : tracked_) {
    figures.push_back(PolicyFigures{
        tracked.policy->meta.namespace_, tracked.policy->meta.name,
        tracked.state.status.desired_replicas, tracked.state.status.current_replicas,
        metric_values_of(tracked.state.status.metrics), tracked.scale_ups, tracked.scale_downs});
  }
  figures_.replace(std::move(figures));
}

}  // namespace portico::autoscaler
