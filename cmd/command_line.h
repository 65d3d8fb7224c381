#pragma once
// Flags -> options. Pure: no I/O, so every flag rule is unit-tested.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"
#include "proxy/balancer/balancing_policy.h"
#include "proxy/server/proxy_options.h"

namespace portico::cmd {

struct CommandLine {
  proxy::ProxyOptions proxy;
  std::string metrics_address = "0.0.0.0";
  uint16_t metrics_port = 9090;
  std::string manifests_dir;  // standalone mode when set; else the Kubernetes API
  std::string kubeconfig;
  std::string kube_context;
  std::string watch_namespace;  // empty: every namespace
  std::string election_id = "portico-leader";
  std::string election_namespace;  // empty: $POD_NAMESPACE, the kubeconfig's, or "default"
  std::string publish_service;     // "namespace/name"
  std::string publish_addresses;   // comma-separated IPs and hostnames
  std::string ingress_class = "portico";
  // For Ingresses without balancing annotations: TranslateOptions::default_policy.algorithm.
  proxy::Algorithm load_balance = proxy::Algorithm::kRoundRobin;
  // resource-based: percent of a pod's CPU request at or above which it gets no new requests.
  int32_t cpu_ceiling_percent = 90;
  // resource-based: how often pods' CPU usage is read from metrics.k8s.io.
  std::chrono::milliseconds resource_metrics_interval{15000};
  // The autoscaler's tick (queue-depth steps are acted on between ticks).
  std::chrono::milliseconds autoscaler_sync_period{5000};
  // "namespace/name" of Portico's own Service, whose endpoints are the replicas the leader
  // reads queue depth from; empty: --publish-service's.
  std::string peer_service;
  log::Level log_level = log::Level::kInfo;
  log::Format log_format = log::Format::kText;
  bool show_help = false;
  bool show_version = false;
};

// `default_workers` is what --workers means when absent (the number of cores).
// Errors name the flag and the accepted values; the caller prints them and exits 2.
Result<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                       unsigned default_workers);

std::string usage();

}  // namespace portico::cmd
