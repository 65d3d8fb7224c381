#pragma once
// A Deployment that a HorizontalPodAutoscaler, or another ScalingPolicy, already scales is not
// this policy's to scale: two controllers writing one replica count fight, each undoing the
// other every few seconds. find_conflicting_hpa() blocks (one API call), on the autoscaler's
// thread; the rest is pure.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "controller/kube/api_client.h"
#include "controller/model/scaling_policy.h"

namespace portico::autoscaler {

// Pure: the name of the first HPA in an autoscaling/v2 HorizontalPodAutoscalerList body whose
// scaleTargetRef is the Deployment `deployment`; unset when none is.
Result<std::optional<std::string>> hpa_targeting(const std::string& list_body,
                                                 const std::string& deployment);

// Lists the HPAs of `namespace_`; an API server without autoscaling/v2 (404) has none.
Result<std::optional<std::string>> find_conflicting_hpa(controller::kube::ApiClient& client,
                                                        const std::string& namespace_,
                                                        const std::string& deployment);

// Among `policies` (by key), the one that scales `policy`'s Deployment when several target it:
// the oldest (creationTimestamp, then name), as the first to be written keeps the Deployment
// whatever order the watch delivers them in. Unset when `policy` is that one.
std::optional<std::string> older_policy_for_target(
    const std::map<std::string, std::shared_ptr<const controller::ScalingPolicy>>& policies,
    const controller::ScalingPolicy& policy);

}  // namespace portico::autoscaler
