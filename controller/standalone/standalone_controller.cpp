#include "controller/standalone/standalone_controller.h"

#include "common/log.h"

namespace portico::controller {

StandaloneController::StandaloneController(std::filesystem::path manifests_dir,
                                           ControllerOptions options, proxy::SnapshotSink& sink,
                                           proxy::EndpointStateRegistry& endpoints)
    : directory_(std::move(manifests_dir)),
      store_([this] {
        reconciler_.mark_dirty();
        names_.mark_dirty();
      }),
      reconciler_(store_,
                  TranslateOptions{std::move(options.ingress_class),
                                   std::move(options.controller_name), options.default_policy},
                  options.debounce, sink, endpoints),
      names_(store_, options.dns_refresh),
      manifests_(directory_),
      watcher_(directory_, options.debounce, [this] { reload(); }) {}

StandaloneController::~StandaloneController() {
  stop();
}

Status StandaloneController::start() {
  // Watch first: a change made while the initial read runs is then reported afterwards.
  if (Status watching = watcher_.open(); !watching) return watching;
  Result<std::vector<Object>> objects = manifests_.reload();
  if (!objects) return Error{objects.error()};
  store_.replace(std::move(objects.value()));
  reconciler_.reconcile_now();
  reconciler_.start();
  names_.start();
  watcher_.start();
  log::info("watching manifests", {{"dir", directory_.string()}});
  return Ok{};
}

void StandaloneController::stop() {
  // Watcher first: it is the one feeding the store, which feeds the reconciler.
  watcher_.stop();
  names_.stop();
  reconciler_.stop();
}

void StandaloneController::reload() {
  Result<std::vector<Object>> objects = manifests_.reload();
  if (!objects) {
    log::error("cannot read the manifest folder; keeping the current routes",
               {{"error", objects.error()}});
    return;
  }
  store_.replace(std::move(objects.value()));
}

}  // namespace portico::controller
