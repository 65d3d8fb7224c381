#pragma once
// Problems translation works around (a refused rule, a missing Service) rather than fails on.
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace portico::controller {

struct Warning {
  std::string kind;    // "Ingress", "Service", "EndpointSlice": the object at fault ...
  std::string object;  // ... and its "namespace/name"
  std::string message;

  bool operator==(const Warning&) const = default;
  auto operator<=>(const Warning&) const = default;
};

// Collects warnings in the order they arise, each distinct one once (many paths can hit the
// same missing Service). Single-threaded: owned by one translation.
class WarningList {
 public:
  void add(std::string kind, std::string object, std::string message) {
    Warning warning{std::move(kind), std::move(object), std::move(message)};
    if (seen_.insert(warning).second) list_.push_back(std::move(warning));
  }
  std::vector<Warning> take() && { return std::move(list_); }

 private:
  std::set<Warning> seen_;
  std::vector<Warning> list_;
};

}  // namespace portico::controller
