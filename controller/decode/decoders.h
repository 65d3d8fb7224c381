#pragma once
// Strict decoders from a parsed YAML manifest to the controller's typed objects (standalone
// mode). API responses are JSON and go through api_decoders.h; both use the same readers.
// Errors name the field and its 1-based line: "SOURCE:LINE: spec.rules[0].host: message",
// where SOURCE is the `source` argument ("line LINE: ..." when it is empty). Pure; any
// thread; never throws.
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "controller/model/object.h"

namespace portico::controller {

Result<Ingress> decode_ingress(const YAML::Node& node, std::string_view source);
Result<IngressClass> decode_ingress_class(const YAML::Node& node, std::string_view source);
Result<Service> decode_service(const YAML::Node& node, std::string_view source);
Result<EndpointSlice> decode_endpoint_slice(const YAML::Node& node, std::string_view source);
// Only type kubernetes.io/tls; `data` is base64, `stringData` (manifests) plain text and
// wins over `data`. Messages never quote the secret's values.
Result<Secret> decode_secret(const YAML::Node& node, std::string_view source);
// Only the fields of model/pod.h are read (and checked); the rest of the Pod is ignored.
Result<Pod> decode_pod(const YAML::Node& node, std::string_view source);

// One document: a single object, or a v1 List of objects. Kinds the controller does not use
// are skipped with a debug log; an empty document yields no objects. A known kind with an
// apiVersion other than the one decoded here is an error.
Result<std::vector<Object>> decode_document(const YAML::Node& document, std::string_view source);

}  // namespace portico::controller
