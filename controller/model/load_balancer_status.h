#pragma once
// status.loadBalancer.ingress of a Service or an Ingress: where the traffic enters.
#include <string>
#include <vector>

namespace portico::controller {

struct LoadBalancerIngress {
  std::string ip;
  std::string hostname;

  bool operator==(const LoadBalancerIngress&) const = default;
  auto operator<=>(const LoadBalancerIngress&) const = default;
};

using LoadBalancerStatus = std::vector<LoadBalancerIngress>;

}  // namespace portico::controller
