#pragma once
// ScaleClient over the Kubernetes API: GET and PUT
// /apis/apps/v1/namespaces/NS/deployments/NAME/scale, touching nothing else of the
// Deployment. Thread-safe as the ApiClient is; blocking, control plane only.
#include "autoscaler/scale/scale_client.h"
#include "controller/kube/api_client.h"

namespace portico::autoscaler {

class ApiScaleClient final : public ScaleClient {
 public:
  explicit ApiScaleClient(controller::kube::ApiClient& client) : client_(client) {}

  Result<Scale> read(const ScaleTarget& target) override;
  Result<WriteResult> write(const ScaleTarget& target, const Scale& seen,
                            int32_t replicas) override;

 private:
  controller::kube::ApiClient& client_;
};

// The Scale in an autoscaling/v1 Scale body; exposed for tests of the format.
Result<Scale> parse_scale(const std::string& body);

}  // namespace portico::autoscaler
