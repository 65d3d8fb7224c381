// portico: flags -> options -> wiring. No logic lives here.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "autoscaler/loop/autoscaler.h"
#include "cmd/command_line.h"
#include "common/log.h"
#include "controller/cluster/cluster_controller.h"
#include "controller/kube/client_config.h"
#include "controller/kube/rest_api_client.h"
#include "controller/kube/tls_library.h"
#include "controller/standalone/standalone_controller.h"
#include "proxy/admin/admin_server.h"
#include "proxy/metrics/proxy_metrics.h"
#include "proxy/server/server.h"

namespace {

constexpr int kUsageError = 2;
// cpprestsdk's pool serves the watch streams' callbacks; its default of 40 threads is far
// more than a handful of streams need.
constexpr std::size_t kClientThreads = 4;

// Blocks the shutdown signals in every thread (the mask is inherited), so that only the
// main thread's sigwait() sees them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  return signals;
}

std::optional<std::string> environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// The Lease holder's name comes from the pod's name when the chart passes it, else the host's.
std::string pod_name() {
  std::string name = environment("POD_NAME").value_or("");
  if (name.empty()) {
    char host[256] = {};
    name = gethostname(host, sizeof(host) - 1) == 0 ? host : "portico";
  }
  return name;
}

portico::Result<std::unique_ptr<portico::controller::Controller>> make_controller(
    const portico::cmd::CommandLine& line, portico::proxy::Server& server,
    portico::proxy::EndpointStateRegistry& endpoints,
    std::unique_ptr<portico::controller::kube::ApiClient>& api_client,
    std::unique_ptr<portico::autoscaler::Autoscaler>& scaler) {
  using namespace portico;
  controller::ControllerOptions options;
  options.ingress_class = line.ingress_class;
  options.default_policy.algorithm = line.load_balance;
  if (!line.manifests_dir.empty()) {
    return std::unique_ptr<controller::Controller>(
        std::make_unique<controller::StandaloneController>(line.manifests_dir, options, server,
                                                           endpoints));
  }
  Result<controller::kube::ClientConfig> config =
      controller::kube::resolve_client_config(line.kubeconfig, line.kube_context, environment);
  if (!config) {
    return Error{
        config.error() +
        " (give --kubeconfig FILE, run in a pod, or use --manifests DIR without a cluster)"};
  }
  log::info("kubernetes API", {{"server", config.value().server}});
  controller::ClusterOptions cluster;
  cluster.controller = options;
  cluster.reflector.namespace_ = line.watch_namespace;
  cluster.election.identity = controller::election::candidate_identity(pod_name());
  cluster.election.name = line.election_id;
  cluster.election.namespace_ = line.election_namespace;
  if (cluster.election.namespace_.empty()) {
    cluster.election.namespace_ = environment("POD_NAMESPACE").value_or(config.value().namespace_);
  }
  if (cluster.election.namespace_.empty()) cluster.election.namespace_ = "default";
  cluster.publish_service = line.publish_service;
  cluster.publish_addresses = line.publish_addresses;
  cluster.resource_weights.cpu_ceiling_percent = line.cpu_ceiling_percent;
  cluster.resource_weights.namespace_ = line.watch_namespace;
  cluster.resource_weights.interval = line.resource_metrics_interval;
  cluster.resource_balancing_wanted = [&server] {
    const std::shared_ptr<const proxy::RouteSnapshot> snapshot = server.latest_snapshot();
    if (!snapshot) return false;
    for (const auto& backend : snapshot->backends) {
      if (backend->policy.algorithm == proxy::Algorithm::kResourceBased) return true;
    }
    return false;
  };
  controller::kube::configure_client_threads(kClientThreads);
  Result<std::unique_ptr<controller::kube::RestApiClient>> client =
      controller::kube::RestApiClient::create(config.value());
  if (!client) return Error{client.error()};
  api_client = std::move(client.value());
  auto cluster_controller = std::make_unique<controller::ClusterController>(
      *api_client, std::move(cluster), server, endpoints);
  autoscaler::AutoscalerOptions scaling;
  scaling.sync_period = line.autoscaler_sync_period;
  scaling.namespace_ = line.watch_namespace;
  scaling.peers.service = line.peer_service.empty() ? line.publish_service : line.peer_service;
  scaling.peers.metrics_port = line.metrics_port;
  scaling.peers.self_ip = environment("POD_IP").value_or("");
  controller::ClusterController* leader = cluster_controller.get();
  scaler = std::make_unique<autoscaler::Autoscaler>(
      autoscaler::AutoscalerDependencies{*api_client, leader->store(), endpoints, leader->events(),
                                         [leader] { return leader->is_leader(); }},
      std::move(scaling));
  return std::unique_ptr<controller::Controller>(std::move(cluster_controller));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace portico;
  controller::kube::keep_tls_library_until_exit();
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = cmd::parse_command_line(args, std::thread::hardware_concurrency());
  if (!parsed) {
    std::cerr << "portico: " << parsed.error() << "\n";
    return kUsageError;
  }
  const cmd::CommandLine& line = parsed.value();
  if (line.show_help) {
    std::cout << cmd::usage();
    return 0;
  }
  if (line.show_version) {
    std::cout << "portico " << PORTICO_VERSION << "\n";
    return 0;
  }
  log::configure(line.log_level, line.log_format);
  const sigset_t shutdown_signals = block_shutdown_signals();

  proxy::Server server(line.proxy);
  proxy::EndpointStateRegistry endpoints;
  std::unique_ptr<controller::kube::ApiClient> api_client;
  std::unique_ptr<autoscaler::Autoscaler> scaler;  // cluster mode only
  Result<std::unique_ptr<controller::Controller>> made =
      make_controller(line, server, endpoints, api_client, scaler);
  if (!made) {
    log::error("cannot start the controller", {{"error", made.error()}});
    return 1;
  }
  controller::Controller& controller = *made.value();

  if (Status started = server.start(); !started) {
    log::error("cannot start the proxy", {{"error", started.error()}});
    return 1;
  }
  log::info("http listening", {{"address", line.proxy.listen_address},
                               {"port", std::to_string(server.http_port())},
                               {"workers", std::to_string(line.proxy.workers)}});

  proxy::ProxyMetrics metrics(server);
  std::vector<const prometheus::Collectable*> collectables = {&metrics};
  if (scaler) collectables.push_back(&scaler->figures());
  proxy::AdminServer admin(collectables, [&server, &controller] {
    if (server.draining()) return proxy::AdminServer::Readiness{false, "draining"};
    const controller::SyncState sync = controller.sync_state();
    if (!sync.synced) return proxy::AdminServer::Readiness{false, sync.detail};
    if (!server.has_configuration())
      return proxy::AdminServer::Readiness{false, "no configuration yet"};
    return proxy::AdminServer::Readiness{true, sync.detail};
  });
  if (Status started = admin.start(line.metrics_address, line.metrics_port); !started) {
    log::error("cannot start the metrics endpoint", {{"error", started.error()}});
    return 1;
  }
  log::info("metrics listening",
            {{"address", line.metrics_address}, {"port", std::to_string(admin.port())}});

  if (Status started = controller.start(); !started) {
    log::error("cannot start the controller", {{"error", started.error()}});
    return 1;
  }
  if (scaler) scaler->start();

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  log::info("shutting down: draining connections",
            {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  // The controller first: it stops leading (the autoscaler then idles) and shuts the API
  // client down, which ends any call the autoscaler has in flight at once.
  controller.stop();
  if (scaler) scaler->stop();
  server.drain_and_stop();
  admin.stop();
  log::info("stopped");
  return 0;
}
