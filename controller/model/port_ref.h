#pragma once
// A port given either by number or by name: Kubernetes' IntOrString targetPort and the
// ServiceBackendPort of an Ingress backend share this shape.
#include <cstdint>
#include <string>

namespace portico::controller {

struct PortRef {
  int32_t number = 0;  // 0: not given by number
  std::string name;    // empty: not given by name

  bool empty() const { return number == 0 && name.empty(); }
  // "80" or "http", for names and messages.
  std::string to_string() const { return number != 0 ? std::to_string(number) : name; }

  bool operator==(const PortRef&) const = default;
};

}  // namespace portico::controller
