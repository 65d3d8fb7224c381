#pragma once
// The Kubernetes API source: one Reflector per watched resource feeds the ObjectStore, which
// feeds the same Reconciler -> build_snapshot() -> publish chain as standalone mode. The
// first snapshot is published only when every resource has been listed once, so a replica
// never serves a half-read cluster (Ingresses without their Services would be 503s).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "controller/controller.h"
#include "controller/dns/external_name_resolver.h"
#include "controller/election/leader_elector.h"
#include "controller/events/event_recorder.h"
#include "controller/kube/api_client.h"
#include "controller/kube/reflector.h"
#include "controller/metrics/resource_weight_updater.h"
#include "controller/reconcile/reconciler.h"
#include "controller/status/ingress_status_writer.h"
#include "controller/store/object_store.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"

namespace portico::controller {

struct ClusterOptions {
  ControllerOptions controller;
  kube::ReflectorOptions reflector;         // its namespace_ is --watch-namespace
  election::LeaderElectionConfig election;  // namespace, --election-id, identity
  std::string publish_service;              // "namespace/name"
  std::string publish_addresses;            // comma-separated
  metrics::ResourceWeightOptions resource_weights;
  // Whether any published backend balances by resource, so that metrics.k8s.io is read only
  // then; asked from the weight updater's thread.
  std::function<bool()> resource_balancing_wanted = [] { return false; };
};

// Every replica watches and proxies (active-active); the one holding the Lease also writes
// Ingress status (when a publish source is given) and posts Events for refused rules, so
// that N replicas do not post N copies.
//
// Threads: start()/stop() from the owning thread; sync_state() from any. Reflectors,
// reconciler, resolver, elector, status writer and event recorder run on their own threads;
// a start-up thread waits for the first full sync. `client`, `sink` and `endpoints` must
// outlive the controller.
class ClusterController : public Controller {
 public:
  ClusterController(kube::ApiClient& client, ClusterOptions options, proxy::SnapshotSink& sink,
                    proxy::EndpointStateRegistry& endpoints);
  ~ClusterController() override;
  ClusterController(const ClusterController&) = delete;
  ClusterController& operator=(const ClusterController&) = delete;

  Status start() override;
  void stop() override;
  SyncState sync_state() const override;

  // For the parts that act on the same view as leader (the autoscaler): the store, the Event
  // recorder, and whether this replica holds the Lease now (false before start()).
  ObjectStore& store() { return store_; }
  events::EventRecorder& events() { return events_; }
  bool is_leader() const;

 private:
  void publish_after_first_sync();
  void on_store_change();
  void report(const Warning& warning);
  void on_started_leading();

  // How long stop() lets the leader hand its duties back before it cuts the API calls short.
  static constexpr std::chrono::seconds kHandBackGrace{3};

  kube::ApiClient& client_;
  const ClusterOptions options_;
  ObjectStore store_;
  Reconciler reconciler_;
  ExternalNameResolver names_;
  std::vector<std::unique_ptr<kube::Reflector>> reflectors_;
  events::EventRecorder events_;
  std::unique_ptr<election::LeaderElector> elector_;
  std::unique_ptr<status::IngressStatusWriter> status_writer_;  // null: nothing to publish
  metrics::ResourceWeightUpdater resource_weights_;

  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread startup_;
};

}  // namespace portico::controller
