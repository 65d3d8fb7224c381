#include "controller/decode/load_balancer_status_decoder.h"

namespace portico::controller {

LoadBalancerStatus read_load_balancer_status(FieldReader& reader, const Field& status) {
  LoadBalancerStatus out;
  const Field load_balancer = reader.member(status, "loadBalancer");
  for (const Field& entry : reader.items(reader.member(load_balancer, "ingress"))) {
    LoadBalancerIngress ingress;
    ingress.ip = reader.string(reader.member(entry, "ip"));
    ingress.hostname = reader.string(reader.member(entry, "hostname"));
    out.push_back(std::move(ingress));
  }
  return out;
}

}  // namespace portico::controller
