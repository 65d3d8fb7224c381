#pragma once
// Resource-based balancing's I/O shell: every `interval` it reads the pods' CPU usage from
// metrics.k8s.io, joins it with the pods' CPU requests from the store, and writes each
// endpoint's EndpointState::resource_weight, which the workers read with relaxed loads. The
// decision itself is resource_weight() (pure).
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/background_loop.h"
#include "controller/kube/api_client.h"
#include "controller/store/object_store.h"
#include "proxy/snapshot/endpoint_state.h"

namespace portico::controller::metrics {

struct ResourceWeightOptions {
  // metrics-server's default resolution: reading more often only re-reads the same window.
  std::chrono::milliseconds interval{15000};
  int32_t cpu_ceiling_percent = 90;  // of the pod's CPU request; at or above it, no traffic
  std::string namespace_;            // --watch-namespace; empty: every namespace
};

// Threads: start()/stop() from the owner; the rounds run on the updater's own thread.
// `wanted` is asked before each round: no backend balancing by resource means no reads.
// When the metrics cannot be read, every endpoint goes back to its static weight (-1) rather
// than being steered by stale figures. `client`, `store` and `endpoints` must outlive it.
class ResourceWeightUpdater {
 public:
  ResourceWeightUpdater(kube::ApiClient& client, const ObjectStore& store,
                        proxy::EndpointStateRegistry& endpoints, std::function<bool()> wanted,
                        ResourceWeightOptions options);
  ~ResourceWeightUpdater();
  ResourceWeightUpdater(const ResourceWeightUpdater&) = delete;
  ResourceWeightUpdater& operator=(const ResourceWeightUpdater&) = delete;

  void start();
  void stop();
  // One round, on the caller's thread: the loop's body, for tests.
  void update_once();

 private:
  void forget_weights();

  kube::ApiClient& client_;
  const ObjectStore& store_;
  proxy::EndpointStateRegistry& endpoints_;
  const std::function<bool()> wanted_;
  const ResourceWeightOptions options_;
  bool weights_written_ = false;  // only the round's thread touches these two
  std::string last_error_;
  BackgroundLoop loop_;
};

}  // namespace portico::controller::metrics
