#include "controller/kube/api_resource.h"

#include "controller/model/secret.h"

namespace portico::controller::kube {

std::string ApiResource::collection_path(const std::string& namespace_) const {
  if (namespaced && !namespace_.empty()) {
    return group_version + "/namespaces/" + namespace_ + "/" + plural;
  }
  return group_version + "/" + plural;
}

std::vector<WatchedResource> watched_resources() {
  const std::string networking = "/apis/networking.k8s.io/v1";
  const std::string core = "/api/v1";
  return {
      {{"Ingress", networking, "ingresses", true, ObjectKind::kIngress, ""}, std::nullopt},
      {{"IngressClass", networking, "ingressclasses", false, ObjectKind::kIngressClass, ""},
       std::nullopt},
      {{"Service", core, "services", true, ObjectKind::kService, ""}, std::nullopt},
      {{"EndpointSlice", "/apis/discovery.k8s.io/v1", "endpointslices", true,
        ObjectKind::kEndpointSlice, ""},
       ApiResource{"Endpoints", core, "endpoints", true, ObjectKind::kEndpointSlice, ""}},
      // Only TLS Secrets, selected by the server: the controller never sees other secrets.
      {{"Secret", core, "secrets", true, ObjectKind::kSecret,
        std::string("type=") + kTlsSecretType},
       std::nullopt},
      // Endpoint weights (portico.io/weight) and the autoscaler's readiness and CPU requests.
      {{"Pod", core, "pods", true, ObjectKind::kPod, ""}, std::nullopt},
      // The autoscaler's policies and the Services they may scale to zero (holding mode).
      {{"ScalingPolicy", "/apis/autoscaling.portico.io/v1alpha1", "scalingpolicies", true,
        ObjectKind::kScalingPolicy, ""},
       std::nullopt,
       true},
  };
}

}  // namespace portico::controller::kube
