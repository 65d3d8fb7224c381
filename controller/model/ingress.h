#pragma once
// networking.k8s.io/v1 Ingress, reduced to what routing needs.
#include <optional>
#include <string>
#include <vector>

#include "controller/model/load_balancer_status.h"
#include "controller/model/object_meta.h"
#include "controller/model/port_ref.h"

namespace portico::controller {

enum class IngressPathType { kExact, kPrefix, kImplementationSpecific };

// Only Service backends; the decoder refuses resource backends.
struct IngressBackend {
  std::string service_name;
  PortRef port;

  bool operator==(const IngressBackend&) const = default;
};

struct IngressPath {
  std::string path;  // empty when the manifest omits it; translation reads that as "/"
  IngressPathType path_type = IngressPathType::kPrefix;
  IngressBackend backend;

  bool operator==(const IngressPath&) const = default;
};

struct IngressRule {
  std::string host;  // empty: every host
  std::vector<IngressPath> paths;

  bool operator==(const IngressRule&) const = default;
};

// spec.tls[]: hosts served with the certificate in a Secret of the Ingress' namespace.
struct IngressTls {
  std::vector<std::string> hosts;
  std::string secret_name;

  bool operator==(const IngressTls&) const = default;
};

struct Ingress {
  ObjectMeta meta;
  std::optional<std::string> ingress_class_name;
  std::optional<IngressBackend> default_backend;
  std::vector<IngressRule> rules;
  std::vector<IngressTls> tls;
  LoadBalancerStatus status;  // status.loadBalancer.ingress, as last written

  bool operator==(const Ingress&) const = default;
};

}  // namespace portico::controller
