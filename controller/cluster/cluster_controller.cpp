#include "controller/cluster/cluster_controller.h"

#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include "common/log.h"
#include "controller/kube/api_resource.h"

namespace portico::controller {
namespace {

std::string seconds_since(std::chrono::steady_clock::time_point since) {
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - since);
  return std::to_string(elapsed.count()) + "s";
}

}  // namespace

ClusterController::ClusterController(kube::ApiClient& client, ClusterOptions options,
                                     proxy::SnapshotSink& sink,
                                     proxy::EndpointStateRegistry& endpoints)
    : client_(client),
      options_(std::move(options)),
      store_([this] { on_store_change(); }),
      reconciler_(
          store_,
          TranslateOptions{options_.controller.ingress_class, options_.controller.controller_name,
                           options_.controller.default_policy},
          options_.controller.debounce, sink, endpoints,
          [this](const Warning& warning) { report(warning); }),
      names_(store_, options_.controller.dns_refresh),
      events_(client_,
              events::EventRecorderConfig{events::EventSource{
                  "portico", options_.controller.controller_name, options_.election.identity}}),
      resource_weights_(client_, store_, endpoints, options_.resource_balancing_wanted,
                        options_.resource_weights) {
  for (kube::WatchedResource& resource : kube::watched_resources()) {
    reflectors_.push_back(std::make_unique<kube::Reflector>(client_, std::move(resource), store_,
                                                            options_.reflector));
  }
}

ClusterController::~ClusterController() {
  stop();
}

Status ClusterController::start() {
  std::optional<status::PublishSource> publish;
  if (!options_.publish_service.empty()) {
    publish = status::PublishServiceKey{options_.publish_service};
  } else if (!options_.publish_addresses.empty()) {
    Result<LoadBalancerStatus> addresses =
        status::parse_publish_addresses(options_.publish_addresses);
    if (!addresses) return Error{"--publish-address: " + addresses.error()};
    publish = std::move(addresses.value());
  }
  Result<std::unique_ptr<election::LeaderElector>> elector = election::LeaderElector::create(
      client_, options_.election,
      election::LeaderCallbacks{[this] { on_started_leading(); }, [] {}});
  if (!elector) return Error{"leader election: " + elector.error()};
  elector_ = std::move(elector.value());
  if (publish) {
    status_writer_ = std::make_unique<status::IngressStatusWriter>(
        client_,
        status::IngressStatusWriterConfig{
            *publish,
            TranslateOptions{options_.controller.ingress_class, options_.controller.controller_name,
                             options_.controller.default_policy},
            std::chrono::milliseconds(60'000), kube::BackoffOptions{}},
        [this] { return store_.contents(); }, [this] { return elector_->is_leader(); });
    status_writer_->start();
  }
  events_.start();
  elector_->start();

  for (auto& reflector : reflectors_) reflector->start();
  names_.start();
  resource_weights_.start();
  std::lock_guard lock(mutex_);
  startup_ = std::thread([this] { publish_after_first_sync(); });
  log::info("watching the Kubernetes API",
            {{"namespace", options_.reflector.namespace_.empty() ? std::string("(all)")
                                                                 : options_.reflector.namespace_}});
  return Ok{};
}

void ClusterController::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // Leader duties end first, while the client still works: the elector hands the Lease back
  // so that another replica takes over at once. An API server that has stopped answering
  // (a partition, not a refused connection) would hold each of these calls for the client's
  // 60 s idle timeout, past the pod's grace period: after kHandBackGrace the client is shut
  // down, which ends them, and the Lease simply expires.
  std::jthread hand_back_deadline([this](std::stop_token handed_back) {
    std::mutex mutex;
    std::condition_variable_any done;
    std::unique_lock lock(mutex);
    done.wait_for(lock, handed_back, kHandBackGrace, [] { return false; });
    if (!handed_back.stop_requested()) client_.shutdown();
  });
  if (status_writer_) status_writer_->stop();
  if (elector_) elector_->stop();
  events_.stop();
  hand_back_deadline.request_stop();
  // Requests in flight (a watch can wait minutes for its next event) end only when the
  // client shuts down; the reflectors then see stopping and return.
  client_.shutdown();
  for (auto& reflector : reflectors_) reflector->stop();
  resource_weights_.stop();
  if (startup_.joinable()) startup_.join();
  names_.stop();
  reconciler_.stop();
}

bool ClusterController::is_leader() const {
  std::lock_guard lock(mutex_);
  return elector_ && !stopping_ && elector_->is_leader();
}

void ClusterController::on_store_change() {
  reconciler_.mark_dirty();
  names_.mark_dirty();
  if (status_writer_) status_writer_->mark_dirty();
  wake_.notify_all();  // the start-up thread re-checks the sync state
}

void ClusterController::on_started_leading() {
  if (status_writer_) status_writer_->mark_dirty();
  // Warnings raised while another replica led were its to report; now they are ours.
  for (const Warning& warning : reconciler_.current_warnings()) report(warning);
}

void ClusterController::report(const Warning& warning) {
  if (warning.kind != "Ingress" || !elector_ || !elector_->is_leader()) return;
  const std::shared_ptr<const Ingress> ingress = store_.ingress(warning.object);
  if (!ingress) return;
  const ObjectMeta& meta = ingress->meta;
  events_.record(events::InvolvedObject{"Ingress", "networking.k8s.io/v1", meta.namespace_,
                                        meta.name, meta.uid},
                 events::EventType::kWarning, "RuleNotServed", warning.message);
}

void ClusterController::publish_after_first_sync() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const bool synced = sync_state().synced;
    lock.lock();
    if (synced) break;
    // Reflectors that list an empty kind change nothing in the store: poll as well.
    wake_.wait_for(lock, std::chrono::milliseconds(20));
  }
  if (stopping_) return;
  lock.unlock();
  reconciler_.reconcile_now();
  reconciler_.start();
  log::info("initial sync complete; routes are live");
}

SyncState ClusterController::sync_state() const {
  std::string waiting;
  std::string failing;
  bool all_listed = true;
  for (const auto& reflector : reflectors_) {
    const kube::ReflectorState state = reflector->state();
    if (!state.synced) {
      all_listed = false;
      waiting += (waiting.empty() ? "" : ", ") + state.resource;
    }
    if (!state.healthy && !state.last_error.empty()) {
      failing += (failing.empty() ? "" : "; ") + state.resource + " failing for " +
                 seconds_since(state.unhealthy_since) + ": " + state.last_error;
    }
  }
  SyncState result;
  result.synced = all_listed;
  if (!all_listed) {
    result.detail = "waiting for the first list of " + waiting;
  } else if (!failing.empty()) {
    result.detail =
        "API server unreachable or failing, serving the last good routes (" + failing + ")";
  } else {
    result.detail = "in sync with the API server";
  }
  if (!all_listed && !failing.empty()) result.detail += " (" + failing + ")";
  return result;
}

}  // namespace portico::controller
