#pragma once
// What main() needs from a source of routes, whichever it is: the Kubernetes API
// (ClusterController) or a folder of manifests (StandaloneController).
#include <chrono>
#include <string>

#include "common/result.h"
#include "proxy/balancer/balancing_policy.h"

namespace portico::controller {

struct ControllerOptions {
  std::string ingress_class = "portico";
  std::string controller_name = "portico.io/ingress-controller";
  std::chrono::milliseconds debounce{50};
  // How often ExternalName Services' DNS names are looked up again.
  std::chrono::milliseconds dns_refresh{30'000};
  // What an Ingress without balancing annotations gets (--load-balance).
  proxy::BalancingPolicy default_policy{};
};

// For /readyz: `synced` once the first full view is published; `detail` says what is
// missing or failing, in words an operator can act on.
struct SyncState {
  bool synced = false;
  std::string detail;
};

// Threads: start() and stop() from the owning thread; sync_state() from any thread.
class Controller {
 public:
  virtual ~Controller() = default;
  // Fails only when the source cannot be used at all (an unreadable folder).
  virtual Status start() = 0;
  // Idempotent; after it returns nothing publishes any more.
  virtual void stop() = 0;
  virtual SyncState sync_state() const = 0;
};

}  // namespace portico::controller
