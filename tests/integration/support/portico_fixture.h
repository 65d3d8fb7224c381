#pragma once
// Starts the real binaries for an integration test: echo backends on loopback addresses,
// a manifests folder written by the test, and portico itself on free ports.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.h"

namespace portico::testing {

struct Backend {
  std::unique_ptr<ChildProcess> process;
  std::string ip;
  uint16_t port = 0;
};

// Starts portico_echo on ip:port (0: a free port) named `name`; waits until it listens.
Backend start_backend(const std::string& ip, const std::string& name, uint16_t port = 0);

// A unique empty folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` atomically (write to a hidden temp file, then rename).
  void write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// YAML for a Service `name` in `ns` (port 80 named http, targetPort http) and one
// EndpointSlice per backend; no backends means no endpoints at all.
std::string service_yaml(const std::string& ns, const std::string& name,
                         const std::vector<const Backend*>& endpoints);
// YAML for an Ingress with one rule per (host, path, pathType, service) entry.
struct Rule {
  std::string host;
  std::string path;
  std::string path_type;
  std::string service;
};
std::string ingress_yaml(const std::string& ns, const std::string& name,
                         const std::vector<Rule>& rules);

// A kubeconfig naming the API server at `server_url` with a bearer token, and `namespace_`
// as the context's namespace when not empty.
std::string kubeconfig_yaml(const std::string& server_url, const std::string& token,
                            const std::string& namespace_ = "");

struct Portico {
  std::unique_ptr<ChildProcess> process;
  uint16_t http_port = 0;
  uint16_t metrics_port = 0;
};

// Starts portico on free ports of 127.0.0.1 with `args` (its source, e.g. --kubeconfig F,
// and any other flags); waits for both listening lines and, with `wait_ready`, for /readyz
// to answer 200.
Portico start_portico_with(const std::vector<std::string>& args, bool wait_ready = true);

// start_portico_with({"--manifests", dir} + extra_args).
Portico start_portico(const std::filesystem::path& manifests,
                      const std::vector<std::string>& extra_args = {});

}  // namespace portico::testing
