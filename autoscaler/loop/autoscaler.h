#pragma once
// The autoscaler loop (docs/SCALING.md): on the elected leader only, every `sync_period` and
// at once when a queue-depth Service's load rises past its target or a request arrives for a
// Service at zero replicas, each ScalingPolicy in the store is evaluated (policy_evaluator.h),
// its status patched when it changed, an Event recorded for each scale, and the figures
// exported. Queue depth is polled every `poll_period` from the proxy's counters and from the
// latest figures of Portico's other replicas, which the board's scraper reads on a thread of
// its own (every PeerOptions::scrape_period).
//
// An evaluation that fails on the API is retried after 100, 200 and 400 ms
// (evaluation_schedule.h).
//
// Threads: start()/stop() from the owning thread; the loop runs on its own thread and is the
// only one to touch the per-policy state; figures() is read by the metrics scrape. The
// ApiClient, store, registry and recorder must outlive the autoscaler; stop() it before the
// ApiClient is shut down.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "autoscaler/loop/autoscaler_figures.h"
#include "autoscaler/loop/cluster_metric_reader.h"
#include "autoscaler/loop/evaluation_schedule.h"
#include "autoscaler/loop/hpa_conflict.h"
#include "autoscaler/loop/policy_evaluator.h"
#include "autoscaler/loop/queue_depth_board.h"
#include "autoscaler/scale/api_scale_client.h"
#include "autoscaler/signal/queue_depth_signal.h"
#include "common/background_loop.h"
#include "controller/events/event_recorder.h"
#include "controller/kube/api_client.h"
#include "controller/store/object_store.h"
#include "proxy/snapshot/endpoint_state.h"

namespace portico::autoscaler {

struct AutoscalerOptions {
  std::chrono::milliseconds sync_period{5000};
  std::chrono::milliseconds poll_period{100};
  std::chrono::milliseconds prometheus_timeout{5000};
  // How long a namespace's HorizontalPodAutoscalers are trusted before being listed again.
  std::chrono::milliseconds hpa_recheck{30000};
  std::string namespace_;  // empty: policies of every namespace
  PeerOptions peers;
};

struct AutoscalerDependencies {
  controller::kube::ApiClient& client;
  controller::ObjectStore& store;
  proxy::EndpointStateRegistry& registry;
  controller::events::EventRecorder& events;
  std::function<bool()> is_leader;
};

class Autoscaler {
 public:
  Autoscaler(AutoscalerDependencies dependencies, AutoscalerOptions options);
  ~Autoscaler() { stop(); }
  Autoscaler(const Autoscaler&) = delete;
  Autoscaler& operator=(const Autoscaler&) = delete;

  void start();
  void stop();
  const AutoscalerFigures& figures() const { return figures_; }

 private:
  // What the loop follows of one queue-depth Service of a policy.
  struct ServiceWatch {
    QueueDepthSignal signal;
    // The peers the last reading summed over: a sum over another set jumps, and is no arrival.
    std::vector<std::string> counted_peers;
    std::optional<int64_t> arrivals_seen;  // the last reading's sum, when it had one
  };
  struct Tracked {
    Tracked(std::chrono::milliseconds sync_period, TimePoint first_evaluation)
        : schedule(sync_period, first_evaluation) {}

    std::shared_ptr<const controller::ScalingPolicy> policy;
    PolicyState state;
    EvaluationSchedule schedule;
    std::map<std::string, ServiceWatch> services;  // by queue-depth Service
    std::string last_patch;                        // the status last written
    uint64_t scale_ups = 0;
    uint64_t scale_downs = 0;
  };
  struct HpaCheck {
    TimePoint checked_at;
    Result<std::optional<std::string>> conflict = std::optional<std::string>();
  };

  void run();
  void round(TimePoint now);
  bool observe_load(Tracked& tracked, TimePoint now);
  // False when the scale could not be read or written.
  bool evaluate(Tracked& tracked, TimePoint now);
  std::optional<std::string> hpa_conflict(const controller::ScalingPolicy& policy, TimePoint now);
  void read_previous_status(Tracked& tracked);
  void patch_status(Tracked& tracked);
  void publish_figures();

  AutoscalerDependencies deps_;
  const AutoscalerOptions options_;
  ApiScaleClient scale_client_;
  QueueDepthBoard board_;
  ClusterMetricReader metrics_;
  std::map<std::string, Tracked> tracked_;      // by policy key; loop thread only
  std::map<std::string, HpaCheck> hpa_checks_;  // by "namespace/deployment"; loop thread only
  std::optional<uint64_t> seen_store_changes_;  // of the copy metrics_ holds
  AutoscalerFigures figures_;
  BackgroundLoop loop_;  // last: stopped before the state it uses goes
};

}  // namespace portico::autoscaler
