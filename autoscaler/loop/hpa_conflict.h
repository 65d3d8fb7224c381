#pragma once
// A Deployment that a HorizontalPodAutoscaler already scales is not Portico's to scale: two
// controllers writing one replica count fight, each undoing the other every few seconds.
// Blocking (one API call); the autoscaler's thread.
#include <optional>
#include <string>

#include "common/result.h"
#include "controller/kube/api_client.h"

namespace portico::autoscaler {

// Pure: the name of the first HPA in an autoscaling/v2 HorizontalPodAutoscalerList body whose
// scaleTargetRef is the Deployment `deployment`; unset when none is.
Result<std::optional<std::string>> hpa_targeting(const std::string& list_body,
                                                 const std::string& deployment);

// Lists the HPAs of `namespace_`; an API server without autoscaling/v2 (404) has none.
Result<std::optional<std::string>> find_conflicting_hpa(controller::kube::ApiClient& client,
                                                        const std::string& namespace_,
                                                        const std::string& deployment);

}  // namespace portico::autoscaler
