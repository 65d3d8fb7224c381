#include <algorithm>
#include <array>
#include <string_view>

#include "controller/decode/decoders.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"
#include "controller/decode/rfc3339.h"

namespace portico::controller {
namespace {

constexpr std::array<std::string_view, 5> kPhases = {"Pending", "Running", "Succeeded", "Failed",
                                                     "Unknown"};
constexpr std::array<std::string_view, 3> kConditionStatuses = {"True", "False", "Unknown"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& allowed, std::string_view value) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::optional<std::chrono::system_clock::time_point> read_time(FieldReader& reader,
                                                               const Field& field) {
  const std::optional<std::string> text = reader.optional_string(field);
  if (!text) return std::nullopt;
  std::optional<std::chrono::system_clock::time_point> time = parse_rfc3339(*text);
  if (!time) reader.fail(field, "must be an RFC 3339 time");
  return time;
}

PodContainer read_container(FieldReader& reader, const Field& field) {
  PodContainer container;
  container.name = reader.required_string(reader.member(field, "name"));
  const Field requests = reader.member(reader.member(field, "resources"), "requests");
  container.cpu_request = reader.string(reader.member(requests, "cpu"));
  return container;
}

// status.conditions: only Ready is kept. Every condition is still checked, so that a
// mistyped manifest ("status: true") is an error rather than a pod silently never ready.
void read_conditions(FieldReader& reader, const Field& conditions, Pod& pod) {
  for (const Field& condition : reader.items(conditions)) {
    const std::string type = reader.required_string(reader.member(condition, "type"));
    const Field status_field = reader.member(condition, "status");
    const std::string status = reader.required_string(status_field);
    if (reader.ok() && !one_of(kConditionStatuses, status)) {
      reader.fail(status_field, "must be True, False or Unknown, got \"" + status + "\"");
    }
    const auto transition = read_time(reader, reader.member(condition, "lastTransitionTime"));
    if (type == "Ready") {
      pod.ready = status == "True";
      pod.ready_transition = transition;
    }
  }
}

}  // namespace

Pod read_pod(FieldReader& reader, const Field& root) {
  Pod pod;
  pod.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  // Every write to the pod bumps it; kept, it would make each status write a change.
  pod.meta.resource_version.clear();
  pod.deleting =
      read_time(reader, reader.member(reader.member(root, "metadata"), "deletionTimestamp"))
          .has_value();
  for (const Field& container :
       reader.items(reader.member(reader.member(root, "spec"), "containers"))) {
    pod.containers.push_back(read_container(reader, container));
  }
  const Field status = reader.member(root, "status");
  const Field phase = reader.member(status, "phase");
  pod.phase = reader.string(phase);
  if (reader.ok() && !pod.phase.empty() && !one_of(kPhases, pod.phase)) {
    reader.fail(
        phase, "must be Pending, Running, Succeeded, Failed or Unknown, got \"" + pod.phase + "\"");
  }
  for (const Field& ip : reader.items(reader.member(status, "podIPs"))) {
    pod.pod_ips.push_back(reader.required_string(reader.member(ip, "ip")));
  }
  // podIP is podIPs[0] on every API server that writes both; older ones write only podIP.
  const std::string pod_ip = reader.string(reader.member(status, "podIP"));
  if (pod.pod_ips.empty() && !pod_ip.empty()) pod.pod_ips.push_back(pod_ip);
  read_conditions(reader, reader.member(status, "conditions"), pod);
  pod.start_time = read_time(reader, reader.member(status, "startTime"));
  return pod;
}

Result<Pod> decode_pod(const YAML::Node& node, std::string_view source) {
  return decode_yaml<Pod, read_pod>(node, source);
}

}  // namespace portico::controller
