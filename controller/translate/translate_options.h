#pragma once
// How translation reads Ingresses: which are ours and what they get when they say nothing;
// set from flags, fixed for the life of a controller.
#include <string>

#include "proxy/balancer/balancing_policy.h"

namespace portico::controller {

struct TranslateOptions {
  std::string ingress_class = "portico";
  std::string controller_name = "portico.io/ingress-controller";
  // For Ingresses without balancing annotations (--load-balance).
  proxy::BalancingPolicy default_policy{};
};

}  // namespace portico::controller
