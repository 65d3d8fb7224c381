#pragma once
// The operations endpoint on --metrics-port: /metrics (Prometheus text format), /healthz
// (the process is alive) and /readyz (it has a configuration and is not draining). Runs on
// its own thread so a slow scrape never touches a data-plane worker.
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/collectable.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/result.h"

namespace portico::proxy {

// Constructed and stopped by the main thread; serves on its own thread. The readiness
// callback and the collectables are called on that thread and must be thread-safe.
class AdminServer {
 public:
  struct Readiness {
    bool ready;
    std::string detail;  // shown in the /readyz body
  };

  AdminServer(std::vector<const prometheus::Collectable*> collectables,
              std::function<Readiness()> readiness);
  ~AdminServer();

  Status start(const std::string& address, uint16_t port);
  uint16_t port() const { return port_; }
  void stop();

  // Pure: the response (head and body) for one request to the admin endpoint.
  std::string respond(std::string_view method, std::string_view path) const;

 private:
  void accept_loop();
  std::string respond_to_get(std::string_view path) const;
  std::string render_metrics() const;

  std::vector<const prometheus::Collectable*> collectables_;
  std::function<Readiness()> readiness_;
  boost::asio::io_context context_{1};
  boost::asio::ip::tcp::acceptor acceptor_{context_};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace portico::proxy
