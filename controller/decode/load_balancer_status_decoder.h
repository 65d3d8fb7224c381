#pragma once
// status.loadBalancer of an Ingress or a Service. Internal to controller/decode.
#include "controller/decode/field_reader.h"
#include "controller/model/load_balancer_status.h"

namespace portico::controller {

// Reads `status` (the object's status field, possibly absent): its loadBalancer.ingress[]
// entries with their ip and hostname (ports and ipMode are not used). Errors go to `reader`.
LoadBalancerStatus read_load_balancer_status(FieldReader& reader, const Field& status);

}  // namespace portico::controller
