#pragma once
// core/v1 Pod, reduced to what endpoint weights (its annotations) and the autoscaler (its
// readiness, start and CPU requests) read. Kept this small on purpose: a status write that
// touches nothing here (container statuses, other conditions, the resourceVersion, which
// the decoder leaves empty) decodes to an equal Pod, which the store ignores, so it costs no
// rebuild.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/model/object_meta.h"

namespace portico::controller {

struct PodContainer {
  std::string name;
  // spec.containers[].resources.requests.cpu as written ("250m", "1"); empty when absent.
  // Quantities are parsed where they are used (the autoscaler).
  std::string cpu_request;

  bool operator==(const PodContainer&) const = default;
};

struct Pod {
  ObjectMeta meta;
  std::vector<std::string> pod_ips;  // status.podIPs[].ip, else status.podIP; empty before
  std::string phase;                 // status.phase: Pending, Running, Succeeded, Failed, Unknown
  bool ready = false;                // the Ready condition's status is "True"
  std::optional<std::chrono::system_clock::time_point> ready_transition;  // its lastTransitionTime
  std::optional<std::chrono::system_clock::time_point> start_time;        // status.startTime
  std::vector<PodContainer> containers;
  // metadata.deletionTimestamp is set: the pod is terminating, and the HPA leaves it out of
  // the CPU metric as it leaves out failed ones.
  bool deleting = false;

  bool operator==(const Pod&) const = default;
};

}  // namespace portico::controller
