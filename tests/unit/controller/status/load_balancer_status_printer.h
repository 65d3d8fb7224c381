#pragma once
// Readable gtest failure messages for load balancer statuses.
#include <ostream>

#include "controller/model/load_balancer_status.h"

namespace portico::controller {

inline void PrintTo(const LoadBalancerIngress& entry, std::ostream* out) {
  *out << (entry.ip.empty() ? "{hostname: " + entry.hostname : "{ip: " + entry.ip) << "}";
}

}  // namespace portico::controller
