#pragma once
// How to reach one Kubernetes API server: the result of reading a kubeconfig or the
// in-cluster service account, and the only input of RestApiClient.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "common/result.h"

namespace portico::controller::kube {

struct ClientConfig {
  std::string server;  // "https://10.0.0.1:6443" or "http://127.0.0.1:8080"; no trailing '/'
  std::string certificate_authority_pem;  // empty: the system's trust store
  bool insecure_skip_tls_verify = false;
  std::string token;       // a static bearer token (kubeconfig `token`)
  std::string token_file;  // re-read periodically when set: bound tokens rotate
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string namespace_;  // the context's namespace (or the pod's); empty when unset
};

// Reads `path` with yaml-cpp: `context` (empty: current-context), its cluster (server,
// certificate-authority / -data, insecure-skip-tls-verify) and user (token, tokenFile,
// client-certificate(-data), client-key(-data)). Relative file paths are relative to the
// kubeconfig's folder, as client-go resolves them. Errors name the file and what is missing.
Result<ClientConfig> load_kubeconfig(const std::filesystem::path& path, const std::string& context);

// The pod's service account: KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT from `env`,
// token, ca.crt and namespace under `service_account_dir`.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
Result<ClientConfig> in_cluster_config(const EnvLookup& env,
                                       const std::filesystem::path& service_account_dir =
                                           "/var/run/secrets/kubernetes.io/serviceaccount");

// controller-runtime's order: `kubeconfig_flag`, then $KUBECONFIG, then in-cluster when
// KUBERNETES_SERVICE_HOST is set, then $HOME/.kube/config.
Result<ClientConfig> resolve_client_config(const std::string& kubeconfig_flag,
                                           const std::string& context, const EnvLookup& env);

}  // namespace portico::controller::kube
