// Kubeconfig and in-cluster configuration, following client-go's clientcmd and
// rest.InClusterConfig.
#include "controller/kube/client_config.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <fstream>
#include <sstream>

namespace portico::controller::kube {
namespace {

namespace fs = std::filesystem;

// A kubeconfig is small; anything larger is not one, and a token file is smaller still.
constexpr std::uintmax_t kMaxConfigFileBytes = 16u << 20;

Result<std::string> read_file(const fs::path& path, std::string_view what) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec)
    return Error{"cannot read " + std::string(what) + " " + path.string() + ": " + ec.message()};
  if (size > kMaxConfigFileBytes) {
    return Error{std::string(what) + " " + path.string() + " is larger than 16 MiB"};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Error{"cannot read " + std::string(what) + " " + path.string()};
  return text.str();
}

// RFC 4648 base64 with padding, as Go's base64.StdEncoding decodes kubeconfig `*-data`
// fields: line breaks are skipped, any other character outside the alphabet, a missing or
// misplaced '=' is an error rather than silently dropped bytes.
Result<std::string> decode_base64(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::array<int, 4> quad{};
  std::size_t filled = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == '\n' || c == '\r') continue;
    int value = 0;
    if (c == '=') {
      if (filled < 2) return Error{"invalid base64: misplaced '='"};
      ++padding;
    } else {
      const std::size_t index = kAlphabet.find(c);
      if (index == std::string_view::npos) return Error{"invalid base64: unexpected character"};
      if (padding > 0) return Error{"invalid base64: data after '='"};
      value = static_cast<int>(index);
    }
    quad[filled++] = value;
    if (filled < 4) continue;
    const int bits = quad[0] << 18 | quad[1] << 12 | quad[2] << 6 | quad[3];
    out.push_back(static_cast<char>(bits >> 16 & 0xff));
    if (padding < 2) out.push_back(static_cast<char>(bits >> 8 & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(bits & 0xff));
    filled = 0;
    if (padding > 0) padding = 3;  // nothing may follow a padded group
  }
  if (filled != 0) return Error{"invalid base64: length is not a multiple of 4"};
  return out;
}

// One kubeconfig file being read: the parsed YAML, and where relative paths start.
class Kubeconfig {
 public:
  Kubeconfig(const fs::path& path, YAML::Node root) : path_(path), root_(std::move(root)) {}

  // The map under `name`'s entry of the named list `list` ("clusters" / "cluster").
  Result<YAML::Node> named(const std::string& list, const std::string& field,
                           const std::string& name) const {
    const YAML::Node entries = root_[list];
    if (entries && entries.IsSequence()) {
      for (const YAML::Node& entry : entries) {
        if (entry["name"] && entry["name"].as<std::string>() == name) {
          const YAML::Node body = entry[field];
          if (!body || body.IsNull()) return YAML::Node(YAML::NodeType::Map);
          if (!body.IsMap()) return fail(list + " entry \"" + name + "\" is not a map");
          return body;
        }
      }
    }
    return fail(field + " \"" + name + "\" not found in " + list);
  }

  std::string string_field(const YAML::Node& map, const char* key) const {
    const YAML::Node value = map[key];
    return value && !value.IsNull() ? value.as<std::string>() : std::string();
  }

  // `data_key` (base64) or the file named by `file_key`; both set is an error, as in client-go.
  Result<std::string> data_or_file(const YAML::Node& map, const char* data_key,
                                   const char* file_key) const {
    const std::string data = string_field(map, data_key);
    const std::string file = string_field(map, file_key);
    if (!data.empty() && !file.empty()) {
      return fail(std::string("both ") + data_key + " and " + file_key + " are set");
    }
    if (!data.empty()) {
      Result<std::string> decoded = decode_base64(data);
      if (!decoded) return fail(std::string(data_key) + ": " + decoded.error());
      return decoded;
    }
    if (file.empty()) return std::string();
    Result<std::string> content = read_file(resolve(file), file_key);
    if (!content) return fail(content.error());
    return content;
  }

  // Relative paths are relative to the kubeconfig's folder, as client-go resolves them.
  fs::path resolve(const std::string& file) const {
    const fs::path path(file);
    return path.is_absolute() ? path : path_.parent_path() / path;
  }

  Error fail(const std::string& what) const { return Error{path_.string() + ": " + what}; }

  const YAML::Node& root() const { return root_; }

 private:
  fs::path path_;
  YAML::Node root_;
};

Status read_cluster(const Kubeconfig& file, const YAML::Node& cluster, const std::string& name,
                    ClientConfig& config) {
  config.server = file.string_field(cluster, "server");
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (config.server.empty()) return file.fail("cluster \"" + name + "\" has no server");
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0) {
    return file.fail("cluster \"" + name + "\" server " + config.server +
                     " is not an http:// or https:// URL");
  }
  const YAML::Node insecure = cluster["insecure-skip-tls-verify"];
  config.insecure_skip_tls_verify = insecure && insecure.as<bool>();
  Result<std::string> ca =
      file.data_or_file(cluster, "certificate-authority-data", "certificate-authority");
  if (!ca) return Error{ca.error()};
  config.certificate_authority_pem = std::move(ca.value());
  if (config.insecure_skip_tls_verify && !config.certificate_authority_pem.empty()) {
    // client-go refuses this combination rather than guess which one was meant.
    return file.fail("cluster \"" + name +
                     "\" sets both a certificate authority and insecure-skip-tls-verify");
  }
  return Ok{};
}

Status read_user(const Kubeconfig& file, const YAML::Node& user, const std::string& name,
                 ClientConfig& config) {
  for (const char* plugin : {"exec", "auth-provider", "username"}) {
    if (user[plugin]) {
      return file.fail("user \"" + name + "\": " + plugin +
                       " credentials are not supported; use a token, tokenFile or client "
                       "certificate");
    }
  }
  config.token = file.string_field(user, "token");
  const std::string token_file = file.string_field(user, "tokenFile");
  if (!token_file.empty()) {
    config.token_file = file.resolve(token_file).string();
    // Read once now so a wrong path fails at startup, not as 401s later.
    Result<std::string> token = read_file(config.token_file, "tokenFile");
    if (!token) return file.fail("user \"" + name + "\": " + token.error());
  }
  Result<std::string> cert =
      file.data_or_file(user, "client-certificate-data", "client-certificate");
  if (!cert) return Error{cert.error()};
  Result<std::string> key = file.data_or_file(user, "client-key-data", "client-key");
  if (!key) return Error{key.error()};
  if (cert.value().empty() != key.value().empty()) {
    return file.fail("user \"" + name + "\" needs both a client certificate and a client key");
  }
  config.client_certificate_pem = std::move(cert.value());
  config.client_key_pem = std::move(key.value());
  return Ok{};
}

Result<ClientConfig> read_kubeconfig(const Kubeconfig& file, const std::string& context_flag) {
  std::string context_name = context_flag;
  if (context_name.empty()) context_name = file.string_field(file.root(), "current-context");
  if (context_name.empty()) return file.fail("no current-context and no context given");
  Result<YAML::Node> context = file.named("contexts", "context", context_name);
  if (!context) return Error{context.error()};

  ClientConfig config;
  const std::string cluster_name = file.string_field(context.value(), "cluster");
  if (cluster_name.empty()) return file.fail("context \"" + context_name + "\" names no cluster");
  Result<YAML::Node> cluster = file.named("clusters", "cluster", cluster_name);
  if (!cluster) return Error{cluster.error()};
  if (Status status = read_cluster(file, cluster.value(), cluster_name, config); !status) {
    return Error{status.error()};
  }

  // A context without a user is anonymous access (client-go allows it).
  const std::string user_name = file.string_field(context.value(), "user");
  if (!user_name.empty()) {
    Result<YAML::Node> user = file.named("users", "user", user_name);
    if (!user) return Error{user.error()};
    if (Status status = read_user(file, user.value(), user_name, config); !status) {
      return Error{status.error()};
    }
  }
  config.namespace_ = file.string_field(context.value(), "namespace");
  return config;
}

std::string trim(std::string text) {
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  text.erase(0, text.find_first_not_of(" \t\r\n"));
  return text;
}

}  // namespace

Result<ClientConfig> load_kubeconfig(const fs::path& path, const std::string& context) {
  Result<std::string> text = read_file(path, "kubeconfig");
  if (!text) return Error{text.error()};
  // yaml-cpp throws on syntax errors and on scalars of the wrong type; this is the only place
  // that sees its exceptions.
  try {
    return read_kubeconfig(Kubeconfig(path, YAML::Load(text.value())), context);
  } catch (const YAML::Exception& error) {
    return Error{path.string() + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg};
  }
}

Result<ClientConfig> in_cluster_config(const EnvLookup& env, const fs::path& service_account_dir) {
  const std::optional<std::string> host = env("KUBERNETES_SERVICE_HOST");
  const std::optional<std::string> port = env("KUBERNETES_SERVICE_PORT");
  if (!host || host->empty() || !port || port->empty()) {
    return Error{
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be "
        "set"};
  }
  ClientConfig config;
  const bool ipv6 = host->find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + *host + "]" : *host) + ":" + *port;

  config.token_file = (service_account_dir / "token").string();
  Result<std::string> token = read_file(config.token_file, "service account token");
  if (!token) return Error{token.error()};
  Result<std::string> ca = read_file(service_account_dir / "ca.crt", "service account CA");
  if (!ca) return Error{ca.error()};
  config.certificate_authority_pem = std::move(ca.value());
  // The namespace file is optional (client-go falls back to "default" the same way).
  std::error_code ec;
  if (fs::exists(service_account_dir / "namespace", ec)) {
    Result<std::string> ns =
        read_file(service_account_dir / "namespace", "service account namespace");
    if (!ns) return Error{ns.error()};
    config.namespace_ = trim(std::move(ns.value()));
  }
  return config;
}

Result<ClientConfig> resolve_client_config(const std::string& kubeconfig_flag,
                                           const std::string& context, const EnvLookup& env) {
  if (!kubeconfig_flag.empty()) return load_kubeconfig(kubeconfig_flag, context);
  const std::optional<std::string> kubeconfig_env = env("KUBECONFIG");
  if (kubeconfig_env && !kubeconfig_env->empty()) {
    if (kubeconfig_env->find(':') != std::string::npos) {
      return Error{"KUBECONFIG lists several files (" + *kubeconfig_env +
                   "); merging them is not supported: pass one with --kubeconfig"};
    }
    return load_kubeconfig(*kubeconfig_env, context);
  }
  const std::optional<std::string> service_host = env("KUBERNETES_SERVICE_HOST");
  if (service_host && !service_host->empty()) return in_cluster_config(env);
  const std::optional<std::string> home = env("HOME");
  if (!home || home->empty()) {
    return Error{"no kubeconfig: pass --kubeconfig, set KUBECONFIG or HOME, or run in a cluster"};
  }
  return load_kubeconfig(fs::path(*home) / ".kube" / "config", context);
}

}  // namespace portico::controller::kube
