// v1 Endpoints read into the EndpointSlice model: the fallback for clusters that do not serve
// discovery.k8s.io/v1. The mapping and its limits are documented in api_decoders.h.
#include <algorithm>
#include <iterator>
#include <tuple>

#include "common/log.h"
#include "controller/decode/object_meta_decoder.h"
#include "controller/decode/object_readers.h"

namespace portico::controller {
namespace {

bool port_less(const SlicePort& a, const SlicePort& b) {
  return std::tie(a.name, a.port, a.protocol) < std::tie(b.name, b.port, b.protocol);
}

// One subset's ports, sorted so that subsets can be compared whatever their order.
std::vector<SlicePort> read_ports(FieldReader& reader, const Field& subset) {
  std::vector<SlicePort> ports;
  for (const Field& field : reader.items(reader.member(subset, "ports"))) {
    SlicePort port;
    port.name = reader.string(reader.member(field, "name"));
    const Field number = reader.member(field, "port");
    if (!number.present()) reader.fail(number, "is required");
    port.port = reader.port_number(number);
    if (auto protocol = reader.optional_string(reader.member(field, "protocol"))) {
      port.protocol = *protocol;
    }
    ports.push_back(std::move(port));
  }
  std::sort(ports.begin(), ports.end(), port_less);
  return ports;
}

struct Addresses {
  std::vector<SliceEndpoint> ipv4;
  std::vector<SliceEndpoint> ipv6;
};

void read_addresses(FieldReader& reader, const Field& list, bool ready, Addresses& out) {
  for (const Field& field : reader.items(list)) {
    SliceEndpoint endpoint;
    std::string ip = reader.required_string(reader.member(field, "ip"));
    const bool ipv6 = ip.find(':') != std::string::npos;
    endpoint.addresses.push_back(std::move(ip));
    endpoint.conditions.ready = ready;
    const Field target = reader.member(field, "targetRef");
    endpoint.target_ref.kind = reader.string(reader.member(target, "kind"));
    endpoint.target_ref.namespace_ = reader.string(reader.member(target, "namespace"));
    endpoint.target_ref.name = reader.string(reader.member(target, "name"));
    (ipv6 ? out.ipv6 : out.ipv4).push_back(std::move(endpoint));
  }
}

// "http:8080,metrics:9100", for the warning.
std::string port_names(const std::vector<SlicePort>& ports) {
  std::string names;
  for (const SlicePort& port : ports) {
    if (!names.empty()) names += ',';
    if (!port.name.empty()) names += port.name + ":";
    names += std::to_string(port.port.value_or(0));
  }
  return names;
}

}  // namespace

EndpointSlice read_endpoints_as_slice(FieldReader& reader, const Field& root) {
  EndpointSlice slice;
  slice.meta = decode_object_meta(reader, root, Scope::kNamespaced);
  slice.meta.labels[kServiceNameLabel] = slice.meta.name;

  Addresses addresses;
  std::vector<SlicePort> all_ports;  // every subset's, for the warning
  bool first = true;
  for (const Field& subset : reader.items(reader.member(root, "subsets"))) {
    std::vector<SlicePort> ports = read_ports(reader, subset);
    if (first) {
      slice.ports = ports;
      first = false;
    } else {
      std::vector<SlicePort> common;
      std::set_intersection(slice.ports.begin(), slice.ports.end(), ports.begin(), ports.end(),
                            std::back_inserter(common), port_less);
      slice.ports = std::move(common);
    }
    all_ports.insert(all_ports.end(), ports.begin(), ports.end());
    read_addresses(reader, reader.member(subset, "addresses"), true, addresses);
    read_addresses(reader, reader.member(subset, "notReadyAddresses"), false, addresses);
  }
  if (!reader.ok()) return slice;

  const bool ipv4 = !addresses.ipv4.empty() || addresses.ipv6.empty();
  slice.address_type = ipv4 ? "IPv4" : "IPv6";
  slice.endpoints = std::move(ipv4 ? addresses.ipv4 : addresses.ipv6);
  if (ipv4 && !addresses.ipv6.empty()) {
    log::warn(
        "skipping IPv6 addresses of a v1 Endpoints object that also has IPv4 ones",
        {{"endpoints", slice.meta.key()}, {"skipped", std::to_string(addresses.ipv6.size())}});
  }

  std::sort(all_ports.begin(), all_ports.end(), port_less);
  all_ports.erase(std::unique(all_ports.begin(), all_ports.end()), all_ports.end());
  std::vector<SlicePort> dropped;
  std::set_difference(all_ports.begin(), all_ports.end(), slice.ports.begin(), slice.ports.end(),
                      std::back_inserter(dropped), port_less);
  if (!dropped.empty()) {
    log::warn("v1 Endpoints subsets disagree on ports; those ports get no endpoints",
              {{"endpoints", slice.meta.key()}, {"ports", port_names(dropped)}});
  }
  return slice;
}

}  // namespace portico::controller
