#pragma once
// Standalone mode (`portico --manifests DIR`): plain Kubernetes manifests in a folder are the
// source of truth instead of an API server. Files feed the same store -> reconciler ->
// translation -> publish chain the API source uses.
#include <chrono>
#include <filesystem>
#include <string>

#include "common/result.h"
#include "controller/controller.h"
#include "controller/dns/external_name_resolver.h"
#include "controller/reconcile/reconciler.h"
#include "controller/standalone/directory_watcher.h"
#include "controller/standalone/manifest_directory.h"
#include "controller/store/object_store.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"

namespace portico::controller {

// Threads: start() and stop() from the owning thread. After start(), a watcher thread
// re-reads the folder on changes and a reconciler thread publishes snapshots to `sink`
// (generation 1 from start(), then +1 per publish). `sink` and `endpoints` must outlive the
// controller. Not restartable: start() once, stop() any number of times.
class StandaloneController : public Controller {
 public:
  StandaloneController(std::filesystem::path manifests_dir, ControllerOptions options,
                       proxy::SnapshotSink& sink, proxy::EndpointStateRegistry& endpoints);
  ~StandaloneController() override;  // stops the watcher thread
  StandaloneController(const StandaloneController&) = delete;
  StandaloneController& operator=(const StandaloneController&) = delete;

  // Loads every file and publishes the first snapshot synchronously before returning
  // (broken files are reported and skipped); then watches the folder on its own thread.
  // Fails only when the folder cannot be read (or watched).
  Status start() override;
  void stop() override;
  // Synced from start() on: a broken file is reported in the log, not in readiness.
  SyncState sync_state() const override { return {true, "manifests loaded"}; }

 private:
  // Watcher thread: folder -> store. The store marks the reconciler dirty on a real change.
  void reload();

  const std::filesystem::path directory_;
  ObjectStore store_;
  Reconciler reconciler_;
  ExternalNameResolver names_;
  ManifestDirectory manifests_;
  DirectoryWatcher watcher_;
};

}  // namespace portico::controller
