#include "controller/election/lease_json.h"

#include <cpprest/json.h>

#include "controller/decode/rfc3339.h"
#include "controller/election/rfc3339_format.h"

namespace portico::controller::election {
namespace {

using web::json::value;

const value* field(const value& object, const char* name) {
  if (!object.is_object() || !object.has_field(name)) return nullptr;
  const value& found = object.at(name);
  return found.is_null() ? nullptr : &found;
}

Result<std::optional<WallTime>> read_time(const value& spec, const char* name) {
  const value* text = field(spec, name);
  if (!text) return std::optional<WallTime>();
  if (!text->is_string()) return Error{std::string("lease spec.") + name + " is not a string"};
  auto parsed = parse_rfc3339(text->as_string());
  if (!parsed)
    return Error{std::string("lease spec.") + name + " is not RFC 3339: " + text->as_string()};
  return std::optional<WallTime>(*parsed);
}

Result<int32_t> read_int(const value& spec, const char* name) {
  const value* number = field(spec, name);
  if (!number) return int32_t{0};
  if (!number->is_integer()) return Error{std::string("lease spec.") + name + " is not an integer"};
  return static_cast<int32_t>(number->as_integer());
}

}  // namespace

std::string lease_json(const std::string& namespace_, const std::string& name,
                       const LeaseRecord& record) {
  value metadata = value::object();
  metadata["name"] = value::string(name);
  metadata["namespace"] = value::string(namespace_);
  if (!record.resource_version.empty()) {
    metadata["resourceVersion"] = value::string(record.resource_version);
  }
  value spec = value::object();
  spec["holderIdentity"] = value::string(record.holder_identity);
  spec["leaseDurationSeconds"] = value::number(record.lease_duration_seconds);
  spec["leaseTransitions"] = value::number(record.lease_transitions);
  if (record.acquire_time) {
    spec["acquireTime"] =
        value::string(format_rfc3339(*record.acquire_time, TimePrecision::kMicroseconds));
  }
  if (record.renew_time) {
    spec["renewTime"] =
        value::string(format_rfc3339(*record.renew_time, TimePrecision::kMicroseconds));
  }
  value lease = value::object();
  lease["apiVersion"] = value::string("coordination.k8s.io/v1");
  lease["kind"] = value::string("Lease");
  lease["metadata"] = std::move(metadata);
  lease["spec"] = std::move(spec);
  return lease.serialize();
}

Result<LeaseRecord> parse_lease(const std::string& json) {
  std::error_code error;
  const value lease = value::parse(json, error);
  if (error) return Error{"lease is not JSON: " + error.message()};
  LeaseRecord record;
  if (const value* metadata = field(lease, "metadata")) {
    if (const value* version = field(*metadata, "resourceVersion");
        version && version->is_string()) {
      record.resource_version = version->as_string();
    }
  }
  const value* spec = field(lease, "spec");
  if (!spec) return record;
  if (const value* holder = field(*spec, "holderIdentity")) {
    if (!holder->is_string()) return Error{"lease spec.holderIdentity is not a string"};
    record.holder_identity = holder->as_string();
  }
  auto duration = read_int(*spec, "leaseDurationSeconds");
  auto transitions = read_int(*spec, "leaseTransitions");
  auto acquired = read_time(*spec, "acquireTime");
  auto renewed = read_time(*spec, "renewTime");
  if (!duration) return Error{duration.error()};
  if (!transitions) return Error{transitions.error()};
  if (!acquired) return Error{acquired.error()};
  if (!renewed) return Error{renewed.error()};
  record.lease_duration_seconds = duration.value();
  record.lease_transitions = transitions.value();
  record.acquire_time = acquired.value();
  record.renew_time = renewed.value();
  return record;
}

}  // namespace portico::controller::election
