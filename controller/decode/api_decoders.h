#pragma once
// Decoding objects as the API server sends them (web::json trees from list pages and watch
// events) with the same strict readers as manifests. JSON has no lines, so errors read
// "SOURCE: spec.rules[0].host: message" ("spec.rules[0].host: message" when `source` is
// empty); callers pass something that names the object, e.g. "Ingress default/web". Pure;
// any thread; never throws.
#include <string_view>

#include <cpprest/json.h>

#include "common/result.h"
#include "controller/model/object.h"

namespace portico::controller {

// `kind` is the resource's kind as the caller listed or watched it: Ingress, IngressClass,
// Service, EndpointSlice, Secret, Pod, or Endpoints; any other kind is an error. The object's own
// apiVersion and kind fields are not read (list items usually omit them).
//
// v1 Endpoints (the fallback when EndpointSlices are not served) becomes one EndpointSlice of
// the same namespace and name, labelled kubernetes.io/service-name=<name>, so that a watch
// event for the Endpoints replaces or deletes exactly one object:
//  - subsets[].addresses are ready endpoints, subsets[].notReadyAddresses not ready ones
//    (only `ready` is set, as the EndpointSlice mirroring controller does);
//  - the slice holds one ports list for all its endpoints, so it keeps only the ports that
//    every subset lists alike (same name, number and protocol) and logs a warning naming
//    the others: with pods that disagree on a port (a named container port that changes
//    number during a rollout, a port only some pods expose) those ports get no endpoints,
//    never a wrong port, and every other port keeps working;
//  - addressType is IPv4 when any address is IPv4, else IPv6; addresses of the other family
//    are skipped with a warning (the Endpoints controller writes one family per object).
Result<Object> decode_api_object(std::string_view kind, const web::json::value& object,
                                 std::string_view source);

}  // namespace portico::controller
