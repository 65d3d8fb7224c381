#include "cmd/command_line.h"

#include <charconv>
#include <functional>
#include <map>
#include <optional>

namespace portico::cmd {
namespace {

using Setter = std::function<std::string(CommandLine&, const std::string&)>;  // "" = ok

template <typename Integer>
bool parse_integer(const std::string& text, Integer min, Integer max, Integer& out) {
  Integer value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

// "250ms", "5s", "2m", "1h"; a bare number is seconds.
bool parse_duration(const std::string& text, std::chrono::milliseconds& out) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  uint64_t value = 0;
  if (digits == 0 || !parse_integer<uint64_t>(text.substr(0, digits), 0, 100'000'000, value)) {
    return false;
  }
  const std::string unit = text.substr(digits);
  static const std::map<std::string, uint64_t> kMillisPerUnit = {
      {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
  const auto it = kMillisPerUnit.find(unit);
  if (it == kMillisPerUnit.end()) return false;
  out = std::chrono::milliseconds(value * it->second);
  return true;
}

// "1048576", "512k", "10m", "1g" (binary multiples).
bool parse_size(const std::string& text, uint64_t& out) {
  if (text.empty()) return false;
  uint64_t multiplier = 1;
  std::string digits = text;
  switch (text.back()) {
    case 'k':
    case 'K':
      multiplier = 1ULL << 10;
      break;
    case 'm':
    case 'M':
      multiplier = 1ULL << 20;
      break;
    case 'g':
    case 'G':
      multiplier = 1ULL << 30;
      break;
    default:
      break;
  }
  if (multiplier != 1) digits.pop_back();
  uint64_t value = 0;
  if (!parse_integer<uint64_t>(digits, 0, (1ULL << 50), value)) return false;
  out = value * multiplier;
  return true;
}

Setter port_flag(uint16_t CommandLine::*field_in_root,
                 uint16_t proxy::ProxyOptions::*field_in_proxy) {
  return [=](CommandLine& line, const std::string& value) -> std::string {
    uint16_t port = 0;
    if (!parse_integer<uint16_t>(value, 0, 65535, port)) return "expects a port number 0-65535";
    if (field_in_root != nullptr) line.*field_in_root = port;
    if (field_in_proxy != nullptr) line.proxy.*field_in_proxy = port;
    return "";
  };
}

Setter text_flag(std::string CommandLine::*field, const char* expects) {
  return [=](CommandLine& line, const std::string& value) -> std::string {
    if (value.empty()) return expects;
    line.*field = value;
    return "";
  };
}

// A Kubernetes object name (RFC 1123 DNS subdomain): what namespaces, Leases and Services
// are named; anything else is refused before it reaches a URL.
bool is_object_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  if (name.front() == '-' || name.front() == '.' || name.back() == '-' || name.back() == '.') {
    return false;
  }
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return true;
}

// "namespace/name", each part an object name.
bool is_namespaced_name(std::string_view value) {
  const auto slash = value.find('/');
  return slash != std::string_view::npos && is_object_name(value.substr(0, slash)) &&
         is_object_name(value.substr(slash + 1));
}

Setter name_flag(std::string CommandLine::*field) {
  return [=](CommandLine& line, const std::string& value) -> std::string {
    if (!is_object_name(value)) return "expects a Kubernetes name (lower case, digits, '-', '.')";
    line.*field = value;
    return "";
  };
}

Setter duration_flag(std::chrono::milliseconds proxy::ProxyOptions::*field) {
  return [=](CommandLine& line, const std::string& value) -> std::string {
    if (!parse_duration(value, line.proxy.*field))
      return "expects a duration such as 500ms, 5s or 2m";
    return "";
  };
}

// A period of a loop: a duration, and not zero (a loop with no pause would spin).
Setter period_flag(std::chrono::milliseconds CommandLine::*field) {
  return [=](CommandLine& line, const std::string& value) -> std::string {
    if (!parse_duration(value, line.*field) || (line.*field).count() == 0) {
      return "expects a duration above zero such as 500ms, 5s or 2m";
    }
    return "";
  };
}

const std::map<std::string, Setter>& value_flags() {
  static const std::map<std::string, Setter> flags = {
      {"--http-port", port_flag(nullptr, &proxy::ProxyOptions::http_port)},
      {"--metrics-port", port_flag(&CommandLine::metrics_port, nullptr)},
      {"--listen-address",
       [](CommandLine& line, const std::string& value) {
         line.proxy.listen_address = value;
         return std::string();
       }},
      {"--metrics-address",
       [](CommandLine& line, const std::string& value) {
         line.metrics_address = value;
         return std::string();
       }},
      {"--workers",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (!parse_integer<unsigned>(value, 1, 256, line.proxy.workers)) return "expects 1-256";
         return "";
       }},
      {"--manifests", text_flag(&CommandLine::manifests_dir, "expects a directory")},
      {"--kubeconfig", text_flag(&CommandLine::kubeconfig, "expects a file")},
      {"--context", text_flag(&CommandLine::kube_context, "expects a context name")},
      {"--watch-namespace", name_flag(&CommandLine::watch_namespace)},
      {"--election-id", name_flag(&CommandLine::election_id)},
      {"--election-namespace", name_flag(&CommandLine::election_namespace)},
      {"--publish-service",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (!is_namespaced_name(value)) return "expects NAMESPACE/NAME";
         line.publish_service = value;
         return "";
       }},
      {"--publish-address", text_flag(&CommandLine::publish_addresses, "expects IPs or hostnames")},
      {"--ingress-class",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (value.empty()) return "expects a class name";
         line.ingress_class = value;
         return "";
       }},
      {"--load-balance",
       [](CommandLine& line, const std::string& value) -> std::string {
         const std::optional<proxy::Algorithm> algorithm = proxy::parse_algorithm(value);
         if (!algorithm) return "expects a load-balancing algorithm (see --help for the list)";
         line.load_balance = *algorithm;
         return "";
       }},
      {"--cpu-ceiling",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (!parse_integer<int32_t>(value, 1, 1000, line.cpu_ceiling_percent)) {
           return "expects a percentage of the pods' CPU request, 1-1000";
         }
         return "";
       }},
      {"--resource-metrics-interval", period_flag(&CommandLine::resource_metrics_interval)},
      {"--autoscaler-sync-period", period_flag(&CommandLine::autoscaler_sync_period)},
      {"--peer-service",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (!is_namespaced_name(value)) return "expects NAMESPACE/NAME";
         line.peer_service = value;
         return "";
       }},
      {"--log-level",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (!log::parse_level(value, line.log_level)) return "expects debug, info, warn or error";
         return "";
       }},
      {"--log-format",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (value == "text") {
           line.log_format = log::Format::kText;
         } else if (value == "json") {
           line.log_format = log::Format::kJson;
         } else {
           return "expects text or json";
         }
         return "";
       }},
      {"--max-body-size",
       [](CommandLine& line, const std::string& value) -> std::string {
         if (!parse_size(value, line.proxy.max_body_bytes))
           return "expects a size such as 10m (0: unlimited)";
         return "";
       }},
      {"--connect-timeout", duration_flag(&proxy::ProxyOptions::connect_timeout)},
      {"--upstream-timeout", duration_flag(&proxy::ProxyOptions::upstream_timeout)},
      {"--client-header-timeout", duration_flag(&proxy::ProxyOptions::client_header_timeout)},
      {"--client-body-timeout", duration_flag(&proxy::ProxyOptions::client_body_timeout)},
      {"--idle-timeout", duration_flag(&proxy::ProxyOptions::client_idle_timeout)},
      {"--drain-timeout", duration_flag(&proxy::ProxyOptions::drain_timeout)},
  };
  return flags;
}

}  // namespace

Result<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                       unsigned default_workers) {
  CommandLine line;
  line.proxy.workers = default_workers == 0 ? 1 : default_workers;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    if (flag == "--help" || flag == "-h") {
      line.show_help = true;
      continue;
    }
    if (flag == "--version") {
      line.show_version = true;
      continue;
    }
    if (flag == "--access-log") {
      line.proxy.access_log = true;
      continue;
    }
    const auto setter = value_flags().find(flag);
    if (setter == value_flags().end()) return Error{"unknown flag '" + args[i] + "' (see --help)"};
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Error{"flag " + flag + " needs a value"};
    }
    if (std::string problem = setter->second(line, value); !problem.empty()) {
      return Error{"invalid value '" + value + "' for " + flag + ": " + problem};
    }
  }
  line.proxy.access_log_json = line.log_format == log::Format::kJson;
  if (!line.manifests_dir.empty()) {
    for (const auto& [flag, value] :
         {std::pair{"--kubeconfig", line.kubeconfig}, std::pair{"--context", line.kube_context},
          std::pair{"--watch-namespace", line.watch_namespace},
          std::pair{"--publish-service", line.publish_service},
          std::pair{"--publish-address", line.publish_addresses},
          std::pair{"--peer-service", line.peer_service}}) {
      if (!value.empty())
        return Error{std::string(flag) + " needs the Kubernetes API: drop --manifests"};
    }
  }
  if (!line.publish_service.empty() && !line.publish_addresses.empty()) {
    return Error{"--publish-service and --publish-address are alternatives: give one"};
  }
  return line;
}

std::string usage() {
  return R"(Usage: portico [--kubeconfig FILE | --manifests DIR] [flags]

Portico: a Kubernetes ingress controller and reverse proxy. It watches Ingresses,
IngressClasses, Services, EndpointSlices and TLS Secrets through the Kubernetes API (in a pod,
with its service account; else with --kubeconfig, $KUBECONFIG or ~/.kube/config) and routes
traffic to them, applying every change live. With --manifests it serves the same objects from
a folder of YAML files instead, with no cluster at all.

Flags:
  --kubeconfig FILE             kubeconfig to reach the API server (default: in-cluster, then
                                $KUBECONFIG, then ~/.kube/config)
  --context NAME                kubeconfig context (default: its current-context)
  --watch-namespace NS          watch one namespace only (default: all)
  --election-id NAME            Lease that elects the replica writing Ingress status
                                (default portico-leader)
  --election-namespace NS       namespace of that Lease (default: $POD_NAMESPACE, else the
                                kubeconfig's namespace, else default)
  --publish-service NS/NAME     Service whose load-balancer addresses go into Ingress status
  --publish-address LIST        comma-separated IPs/hostnames for Ingress status instead
  --manifests DIR               folder of Kubernetes YAML manifests (standalone mode)
  --http-port PORT              proxy port (default 8080; 0 picks a free port)
  --listen-address IP           proxy address (default 0.0.0.0)
  --metrics-port PORT           /metrics, /healthz, /readyz (default 9090; 0 picks a free port)
  --metrics-address IP          metrics address (default 0.0.0.0)
  --workers N                   proxy worker threads (default: number of cores)
  --ingress-class NAME          IngressClass served (default portico)
  --load-balance NAME           algorithm for Ingresses without portico.io/load-balance:
                                round-robin (default), weighted-round-robin,
                                least-connections, weighted-least-connections, ip-hash,
                                consistent-hash, least-response-time, random,
                                power-of-two-choices or resource-based
  --cpu-ceiling PERCENT         resource-based: a pod using this share of its CPU request
                                or more gets no new requests (default 90)
  --resource-metrics-interval DUR
                                resource-based: how often pods' CPU usage is read from
                                metrics.k8s.io (default 15s)
  --autoscaler-sync-period DUR  how often the leader evaluates each ScalingPolicy; queue-depth
                                steps are acted on at once (default 5s)
  --peer-service NS/NAME        Portico's own Service: the leader sums queue depth over its
                                ready endpoints' metrics ports (default: --publish-service)
  --max-body-size SIZE          largest request body, e.g. 10m; 0 = unlimited (default 0)
  --connect-timeout DURATION    upstream connect timeout per attempt (default 5s)
  --upstream-timeout DURATION   upstream response inactivity timeout, then 504 (default 60s)
  --client-header-timeout DUR   time to send a request head, then 408 (default 10s)
  --client-body-timeout DUR     inactivity timeout while reading a request body (default 60s)
  --idle-timeout DURATION       keep-alive idle timeout (default 60s)
  --drain-timeout DURATION      on SIGTERM, time in-flight requests get to finish (default 30s)
  --access-log                  one line per request on stdout (JSON with --log-format json)
  --log-level LEVEL             debug, info, warn or error (default info)
  --log-format FORMAT           text or json (default text)
  --version                     print the version
  -h, --help                    print this help
)";
}

}  // namespace portico::cmd
