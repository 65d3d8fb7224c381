#include "tests/simulation/proxy_model.h"

#include <algorithm>

namespace portico::simulation {

ProxyModel::ProxyModel(Deployment& deployment, const ProxyOptions& options)
    : deployment_(deployment), options_(options) {}

int64_t ProxyModel::pick_pod(Millis now) const {
  int64_t best = -1;
  int32_t best_load = deployment_.options().concurrency;
  for (const Pod& pod : deployment_.pods()) {
    if (pod.ready(now) && pod.in_flight < best_load) {
      best = pod.id;
      best_load = pod.in_flight;
    }
  }
  return best;
}

void ProxyModel::start(int64_t pod_id, Millis now, const Waiting& request) {
  deployment_.start_request(pod_id, now);
  ++in_flight_;
  counts_.max_wait = std::max(counts_.max_wait, now - request.arrived);
  completions_.push({now + request.service, pod_id});
}

void ProxyModel::drain_waiting(Millis now) {
  while (!waiting_.empty()) {
    if (now - waiting_.front().arrived > options_.wait_timeout) {
      ++counts_.failed_timeout;
      waiting_.pop_front();
      continue;
    }
    const int64_t pod_id = pick_pod(now);
    if (pod_id < 0) return;
    start(pod_id, now, waiting_.front());
    waiting_.pop_front();
  }
}

void ProxyModel::run_until(Millis t) {
  while (!completions_.empty() && completions_.top().at <= t) {
    const Completion done = completions_.top();
    completions_.pop();
    deployment_.finish_request(done.pod_id, done.at);
    --in_flight_;
    ++counts_.served;
    drain_waiting(done.at);
  }
}

void ProxyModel::arrive(Millis t, Millis service) {
  ++counts_.arrived;
  last_arrival_ = t;
  const Waiting request{t, service};
  if (waiting_.empty()) {
    const int64_t pod_id = pick_pod(t);
    if (pod_id >= 0) {
      start(pod_id, t, request);
      return;
    }
  }
  if (deployment_.ready_pods(t) == 0) {
    ++counts_.held;
    if (waiting_.size() >= options_.hold_queue_size) {
      ++counts_.failed_overflow;
      return;
    }
  }
  waiting_.push_back(request);
}

void ProxyModel::dispatch(Millis now) {
  drain_waiting(now);
}

}  // namespace portico::simulation
