#pragma once
// Where each kind the controller watches lives in the API, and how it is filtered.
#include <optional>
#include <string>
#include <vector>

#include "controller/model/object.h"

namespace portico::controller::kube {

struct ApiResource {
  std::string kind;           // the decoder's kind: "Ingress", ..., "Endpoints"
  std::string group_version;  // "/api/v1" or "/apis/networking.k8s.io/v1"
  std::string plural;         // "ingresses"
  bool namespaced = true;
  ObjectKind store_kind = ObjectKind::kIngress;  // v1 Endpoints are stored as EndpointSlices
  std::string field_selector;                    // e.g. "type=kubernetes.io/tls"

  // The collection's path, in one namespace (`namespace_` non-empty, namespaced kinds
  // only) or in all.
  std::string collection_path(const std::string& namespace_) const;
};

// A resource and, for EndpointSlices, the v1 Endpoints to read instead when the API server
// does not serve discovery.k8s.io/v1.
struct WatchedResource {
  ApiResource resource;
  std::optional<ApiResource> fallback;
  // An API that may not be installed (Portico's own CRD): while the API server answers 404,
  // the kind counts as listed and empty, so that routing is never held up by it.
  bool optional = false;
};

// Ingresses, IngressClasses, Services, EndpointSlices (or Endpoints), TLS Secrets, Pods,
// and (optional) ScalingPolicies.
std::vector<WatchedResource> watched_resources();

}  // namespace portico::controller::kube
