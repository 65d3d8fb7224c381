#pragma once
// Where our Ingresses say traffic enters (status.loadBalancer.ingress), from the flags:
// --publish-service NS/NAME (that Service's own addresses) or --publish-address (a fixed
// list). Pure; any thread.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"
#include "controller/model/load_balancer_status.h"
#include "controller/model/service.h"
#include "controller/store/store_contents.h"

namespace portico::controller::status {

// ingress-nginx's order: the Service's load balancer ingress; when it has none, its
// spec.externalIPs; when none, its clusterIP unless headless ("None"). Sorted, deduplicated.
LoadBalancerStatus service_addresses(const Service& service);

// A --publish-address value: comma-separated IPs (-> {ip}) and DNS names (-> {hostname}),
// spaces around items ignored. Every item must be an IPv4/IPv6 address or a DNS-1123
// subdomain (what the API server accepts as a hostname); the Error names the first that is
// neither. Sorted, deduplicated.
Result<LoadBalancerStatus> parse_publish_addresses(std::string_view list);

// Kubernetes' IsDNS1123Subdomain: lowercase letters, digits, '-' and '.', labels of 1-63
// characters that start and end alphanumeric, at most 253 characters in all.
bool is_dns1123_subdomain(std::string_view name);

// Sorts and removes duplicates: the canonical form that makes two statuses comparable.
LoadBalancerStatus normalized(LoadBalancerStatus status);

// What the flags select: a Service key ("NS/NAME") or fixed addresses.
struct PublishServiceKey {
  std::string key;
};
using PublishSource = std::variant<PublishServiceKey, LoadBalancerStatus>;

// The status to publish for `source` given the store: nullopt while the publish Service is
// not in the store, so that a missing Service never clears our Ingresses' status.
std::optional<LoadBalancerStatus> publish_target(const PublishSource& source,
                                                 const StoreContents& contents);

}  // namespace portico::controller::status
