#pragma once
// The scaled Deployment as its pods: each pod starts after a delay with a long tail, then
// serves at most `concurrency` requests at once and burns CPU in proportion to its busy
// slots. Single-threaded, driven by the harness with virtual time.
#include <cstdint>
#include <string>
#include <vector>

#include "tests/simulation/sim_random.h"
#include "tests/simulation/virtual_clock.h"

namespace portico::simulation {

struct PodOptions {
  int32_t concurrency = 10;              // requests one pod serves at once
  int64_t cpu_request_milli = 500;       // the containers' CPU requests, summed
  int64_t cpu_per_busy_slot_milli = 50;  // so a pod with every slot busy uses its request
  // Start-up: most pods are ready after start_min..start_max; a `slow_start_probability`
  // share (an image pull, a node to add) takes slow_start_min plus an exponential tail.
  Millis start_min = 5 * kSecond;
  Millis start_max = 15 * kSecond;
  double slow_start_probability = 0.1;
  Millis slow_start_min = 60 * kSecond;
  Millis slow_start_tail_mean = 30 * kSecond;
};

Millis draw_start_delay(Random& random, const PodOptions& options);

struct Pod {
  int64_t id = 0;  // creation sequence number
  std::string name;
  Millis created_at = 0;
  Millis ready_at = 0;
  bool terminating = false;  // deleted: gets no new requests, finishes what it has
  int32_t in_flight = 0;
  // Busy slot-milliseconds up to `busy_counted_to`; the integral is exact because it is
  // brought up to date whenever in_flight changes.
  int64_t busy_slot_ms = 0;
  Millis busy_counted_to = 0;

  bool ready(Millis now) const { return !terminating && now >= ready_at; }
  int64_t busy_slot_ms_at(Millis now) const {
    return busy_slot_ms + static_cast<int64_t>(in_flight) * (now - busy_counted_to);
  }
};

class Deployment {
 public:
  // Starts with `initial_replicas` pods already ready at time 0.
  Deployment(const PodOptions& options, Random start_delays, int32_t initial_replicas);

  // The ReplicaSet's answer to spec.replicas: creates pods, each with its own start delay,
  // or deletes pods, not-ready ones and then the newest first, as the ReplicaSet ranks them.
  void scale(int32_t replicas, Millis now);

  void start_request(int64_t pod_id, Millis now);
  // A terminating pod is gone once its last request finishes.
  void finish_request(int64_t pod_id, Millis now);

  // Oldest first (ascending id); a pod keeps its id while requests are in flight on it.
  const std::vector<Pod>& pods() const { return pods_; }
  const PodOptions& options() const { return options_; }
  int32_t spec_replicas() const { return spec_replicas_; }
  // Pods that exist and are not being deleted: what the Deployment costs.
  int32_t live_pods() const;
  int32_t ready_pods(Millis now) const;
  // Start delays in creation order, for reports on slow starts.
  const std::vector<Millis>& start_delays() const { return drawn_delays_; }

 private:
  void count_busy(Pod& pod, Millis now);
  std::vector<Pod>::iterator find(int64_t pod_id);

  PodOptions options_;
  Random start_random_;
  std::vector<Pod> pods_;  // a vector: scanned on every request, so kept contiguous
  int64_t next_id_ = 0;
  int32_t spec_replicas_ = 0;
  std::vector<Millis> drawn_delays_;
};

}  // namespace portico::simulation
