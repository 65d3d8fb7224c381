#pragma once
// Which Ingresses are ours; set from flags, fixed for the life of a controller.
#include <string>

namespace portico::controller {

struct TranslateOptions {
  std::string ingress_class = "portico";
  std::string controller_name = "portico.io/ingress-controller";
};

}  // namespace portico::controller
