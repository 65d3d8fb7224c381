#include "tests/simulation/deployment_model.h"

#include <algorithm>
#include <cassert>
#include <vector>

namespace portico::simulation {

Millis draw_start_delay(Random& random, const PodOptions& options) {
  if (random.bernoulli(options.slow_start_probability)) {
    return options.slow_start_min + static_cast<Millis>(random.exponential(
                                        static_cast<double>(options.slow_start_tail_mean)));
  }
  return random.uniform_int(options.start_min, options.start_max);
}

Deployment::Deployment(const PodOptions& options, Random start_delays, int32_t initial_replicas)
    : options_(options), start_random_(start_delays), spec_replicas_(initial_replicas) {
  for (int32_t i = 0; i < initial_replicas; ++i) {
    const int64_t id = next_id_++;
    pods_.push_back(Pod{id, "web-" + std::to_string(id), 0, 0});
  }
}

void Deployment::scale(int32_t replicas, Millis now) {
  spec_replicas_ = replicas;
  int32_t live = live_pods();
  for (; live < replicas; ++live) {
    const Millis delay = draw_start_delay(start_random_, options_);
    drawn_delays_.push_back(delay);
    const int64_t id = next_id_++;
    Pod& pod = pods_.emplace_back(Pod{id, "web-" + std::to_string(id), now, now + delay});
    pod.busy_counted_to = now;
  }
  if (live <= replicas) return;
  // Deletion order: not ready before ready, then the most recently created (for not-ready
  // pods) or most recently ready (for ready ones) first.
  std::vector<Pod*> candidates;
  for (Pod& pod : pods_) {
    if (!pod.terminating) candidates.push_back(&pod);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [now](const Pod* a, const Pod* b) {
    if (a->ready(now) != b->ready(now)) return !a->ready(now);
    return a->ready(now) ? a->ready_at > b->ready_at : a->created_at > b->created_at;
  });
  for (Pod* pod : candidates) {
    if (live == replicas) break;
    pod->terminating = true;
    --live;
  }
  std::erase_if(pods_, [](const Pod& pod) { return pod.terminating && pod.in_flight == 0; });
}

void Deployment::count_busy(Pod& pod, Millis now) {
  pod.busy_slot_ms = pod.busy_slot_ms_at(now);
  pod.busy_counted_to = now;
}

std::vector<Pod>::iterator Deployment::find(int64_t pod_id) {
  auto found = std::lower_bound(pods_.begin(), pods_.end(), pod_id,
                                [](const Pod& pod, int64_t id) { return pod.id < id; });
  assert(found != pods_.end() && found->id == pod_id);
  return found;
}

void Deployment::start_request(int64_t pod_id, Millis now) {
  Pod& pod = *find(pod_id);
  assert(pod.ready(now) && pod.in_flight < options_.concurrency);
  count_busy(pod, now);
  ++pod.in_flight;
}

void Deployment::finish_request(int64_t pod_id, Millis now) {
  auto found = find(pod_id);
  Pod& pod = *found;
  assert(pod.in_flight > 0);
  count_busy(pod, now);
  --pod.in_flight;
  if (pod.terminating && pod.in_flight == 0) pods_.erase(found);
}

int32_t Deployment::live_pods() const {
  return static_cast<int32_t>(
      std::count_if(pods_.begin(), pods_.end(), [](const Pod& pod) { return !pod.terminating; }));
}

int32_t Deployment::ready_pods(Millis now) const {
  return static_cast<int32_t>(
      std::count_if(pods_.begin(), pods_.end(), [now](const Pod& pod) { return pod.ready(now); }));
}

}  // namespace portico::simulation
