#pragma once
// core/v1 Service, reduced to what backend resolution needs.
#include <cstdint>
#include <string>
#include <vector>

#include "controller/model/load_balancer_status.h"
#include "controller/model/object_meta.h"
#include "controller/model/port_ref.h"

namespace portico::controller {

struct ServicePort {
  std::string name;  // may be empty when the Service has a single port
  int32_t port = 0;
  PortRef target_port;  // empty: same as `port`
  std::string protocol = "TCP";

  bool operator==(const ServicePort&) const = default;
};

struct Service {
  ObjectMeta meta;
  std::string type = "ClusterIP";
  std::vector<ServicePort> ports;
  std::string external_name;              // spec.externalName, for type ExternalName
  std::string cluster_ip;                 // spec.clusterIP; "None" for headless Services
  std::vector<std::string> external_ips;  // spec.externalIPs
  LoadBalancerStatus load_balancer;       // status.loadBalancer.ingress

  bool operator==(const Service&) const = default;
};

}  // namespace portico::controller
