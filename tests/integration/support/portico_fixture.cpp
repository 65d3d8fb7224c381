#include "tests/integration/support/portico_fixture.h"

#include <unistd.h>

#include <fstream>
#include <random>
#include <stdexcept>

#include "tests/integration/support/http_client.h"

namespace portico::testing {
namespace {
constexpr auto kStartTimeout = std::chrono::seconds(20);
}

Backend start_backend(const std::string& ip, const std::string& name, uint16_t port) {
  Backend backend;
  backend.ip = ip;
  backend.process = std::make_unique<ChildProcess>(
      PORTICO_ECHO_BINARY,
      std::vector<std::string>{"--listen", ip + ":" + std::to_string(port), "--name", name});
  const auto line = backend.process->wait_for_line("listening", kStartTimeout);
  if (!line) throw std::runtime_error("echo backend did not start: " + backend.process->output());
  backend.port = static_cast<uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  return backend;
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("portico-test-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempDir::write(const std::string& name, const std::string& content) const {
  const auto staging = path_ / ("." + name + ".tmp");
  {
    std::ofstream out(staging);
    out << content;
  }
  std::filesystem::rename(staging, path_ / name);
}

std::string service_yaml(const std::string& ns, const std::string& name,
                         const std::vector<const Backend*>& endpoints) {
  std::string yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name +
                     "\n  namespace: " + ns +
                     "\nspec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n";
  // One slice per endpoint: each backend listens on its own free port, and slices carry
  // their own port lists, resolved through the Service's named targetPort.
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    yaml +=
        "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: " + name +
        "-" + std::to_string(i) + "\n  namespace: " + ns +
        "\n  labels:\n    kubernetes.io/service-name: " + name +
        "\naddressType: IPv4\nports:\n- name: http\n  port: " + std::to_string(endpoints[i]->port) +
        "\nendpoints:\n- addresses: [\"" + endpoints[i]->ip +
        "\"]\n  conditions:\n    ready: true\n";
  }
  return yaml;
}

std::string ingress_yaml(const std::string& ns, const std::string& name,
                         const std::vector<Rule>& rules) {
  std::string yaml = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
                     "\n  namespace: " + ns + "\nspec:\n  ingressClassName: portico\n  rules:\n";
  for (const Rule& rule : rules) {
    yaml += "  - ";
    if (!rule.host.empty()) yaml += "host: \"" + rule.host + "\"\n    ";
    yaml += "http:\n      paths:\n      - path: " + rule.path +
            "\n        pathType: " + rule.path_type +
            "\n        backend:\n          service:\n            name: " + rule.service +
            "\n            port:\n              number: 80\n";
  }
  return yaml;
}

std::string kubeconfig_yaml(const std::string& server_url, const std::string& token,
                            const std::string& namespace_) {
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: " +
         server_url + "\nusers:\n- name: portico\n  user:\n    token: " + token +
         "\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: portico\n" +
         (namespace_.empty() ? "" : "    namespace: " + namespace_ + "\n") +
         "current-context: fake\n";
}

Portico start_portico(const std::filesystem::path& manifests,
                      const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"--manifests", manifests.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return start_portico_with(args);
}

Portico start_portico_with(const std::vector<std::string>& source_args, bool wait_ready) {
  std::vector<std::string> args = {
      "--http-port",      "0",         "--metrics-port",    "0",
      "--listen-address", "127.0.0.1", "--metrics-address", "127.0.0.1"};
  args.insert(args.end(), source_args.begin(), source_args.end());
  Portico portico;
  portico.process = std::make_unique<ChildProcess>(PORTICO_BINARY, args);
  const auto http = portico.process->wait_for_line("http listening", kStartTimeout);
  const auto metrics = portico.process->wait_for_line("metrics listening", kStartTimeout);
  if (!http || !metrics)
    throw std::runtime_error("portico did not start: " + portico.process->output());
  portico.http_port = static_cast<uint16_t>(std::stoi(field_of(*http, "port")));
  portico.metrics_port = static_cast<uint16_t>(std::stoi(field_of(*metrics, "port")));
  if (!wait_ready) return portico;
  const bool ready = eventually(
      [&] {
        auto response = http_request(portico.metrics_port, "GET", "/readyz", "localhost");
        return response && response->status == 200;
      },
      kStartTimeout);
  if (!ready) throw std::runtime_error("portico never became ready: " + portico.process->output());
  return portico;
}

}  // namespace portico::testing
