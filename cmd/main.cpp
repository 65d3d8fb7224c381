// portico: flags -> options -> wiring. No logic lives here.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "cmd/command_line.h"
#include "common/log.h"
#include "controller/standalone/standalone_controller.h"
#include "proxy/admin/admin_server.h"
#include "proxy/metrics/proxy_metrics.h"
#include "proxy/server/server.h"

namespace {

constexpr int kUsageError = 2;

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

}  // namespace

int main(int argc, char** argv) {
  using namespace portico;
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
  if (Status started = server.start(); !started) {
    log::error("cannot start the proxy", {{"error", started.error()}});
    return 1;
  }
  log::info("http listening", {{"address", line.proxy.listen_address},
                               {"port", std::to_string(server.http_port())},
                               {"workers", std::to_string(line.proxy.workers)}});

  proxy::ProxyMetrics metrics(server);
  proxy::AdminServer admin({&metrics}, [&server] {
    if (server.draining()) return proxy::AdminServer::Readiness{false, "draining"};
    if (!server.has_configuration())
      return proxy::AdminServer::Readiness{false, "no configuration yet"};
    return proxy::AdminServer::Readiness{true, "ready"};
  });
  if (Status started = admin.start(line.metrics_address, line.metrics_port); !started) {
    log::error("cannot start the metrics endpoint", {{"error", started.error()}});
    return 1;
  }
  log::info("metrics listening",
            {{"address", line.metrics_address}, {"port", std::to_string(admin.port())}});

  proxy::EndpointStateRegistry endpoints;
  controller::ControllerOptions controller_options;
  controller_options.ingress_class = line.ingress_class;
  controller::StandaloneController controller(line.manifests_dir, controller_options, server,
                                              endpoints);
  if (Status started = controller.start(); !started) {
    log::error("cannot read manifests", {{"error", started.error()}});
    return 1;
  }

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  log::info("shutting down: draining connections",
            {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  controller.stop();
  server.drain_and_stop();
  admin.stop();
  log::info("stopped");
  return 0;
}
