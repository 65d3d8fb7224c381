#pragma once
// discovery.k8s.io/v1 EndpointSlice, reduced to what backend resolution needs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/model/object_meta.h"

namespace portico::controller {

inline constexpr char kServiceNameLabel[] = "kubernetes.io/service-name";

// Unset conditions keep their API meaning: ready unset means ready, serving unset means
// "same as ready", terminating unset means not terminating.
struct EndpointConditions {
  std::optional<bool> ready;
  std::optional<bool> serving;
  std::optional<bool> terminating;

  bool operator==(const EndpointConditions&) const = default;
};

struct ObjectReference {
  std::string kind;
  std::string namespace_;
  std::string name;

  bool operator==(const ObjectReference&) const = default;
};

struct SliceEndpoint {
  std::vector<std::string> addresses;
  EndpointConditions conditions;
  ObjectReference target_ref;

  bool operator==(const SliceEndpoint&) const = default;
};

struct SlicePort {
  std::string name;
  std::optional<int32_t> port;  // unset: the slice does not say which port
  std::string protocol = "TCP";

  bool operator==(const SlicePort&) const = default;
};

struct EndpointSlice {
  ObjectMeta meta;
  std::string address_type;  // "IPv4", "IPv6" or "FQDN"
  std::vector<SliceEndpoint> endpoints;
  std::vector<SlicePort> ports;

  // The owning Service, from the kubernetes.io/service-name label; empty when unlabelled.
  std::string service_name() const {
    auto it = meta.labels.find(kServiceNameLabel);
    return it == meta.labels.end() ? std::string() : it->second;
  }

  bool operator==(const EndpointSlice&) const = default;
};

}  // namespace portico::controller
