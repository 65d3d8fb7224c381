#pragma once
// A Service's ready pods as its EndpointSlices list them: the autoscaler divides queue depth
// by their number and scrapes Portico's own replicas at their addresses. Pure; any thread.
#include <string>
#include <vector>

#include "controller/store/store_contents.h"

namespace portico::autoscaler {

// The first address of each ready endpoint of Service "namespace/name" (one per pod, however
// many families it has), sorted, without duplicates.
std::vector<std::string> ready_pod_addresses(const controller::StoreContents& contents,
                                             const std::string& service);

}  // namespace portico::autoscaler
