#include "controller/translate/backend_resolver.h"

#include <cstdint>
#include <optional>
#include <set>

#include <boost/asio/ip/address.hpp>

#include "controller/annotations/endpoint_weight.h"
#include "controller/translate/scale_from_zero.h"
#include "proxy/balancer/maglev_table.h"
#include "proxy/balancer/session_affinity.h"

namespace portico::controller {
namespace {

// An endpoint address with its pod's weight, before duplicates and weight-0 ones are dropped.
struct WeightedAddress {
  boost::asio::ip::tcp::endpoint address;
  uint32_t weight;
};

const ServicePort* find_service_port(const Service& service, const PortRef& reference) {
  for (const ServicePort& port : service.ports) {
    if (reference.number != 0 ? port.port == reference.number : port.name == reference.name) {
      return &port;
    }
  }
  return nullptr;
}

std::optional<int32_t> endpoint_port(const EndpointSlice& slice, const ServicePort& port) {
  for (const SlicePort& candidate : slice.ports) {
    if (candidate.name == port.name && candidate.port) return *candidate.port;
  }
  if (port.target_port.number != 0) return port.target_port.number;
  if (port.target_port.empty()) return port.port;
  return std::nullopt;
}

// The algorithms that pick through Backend::hash_table.
bool hashes(const proxy::BalancingPolicy& policy) {
  return policy.algorithm == proxy::Algorithm::kIpHash ||
         policy.algorithm == proxy::Algorithm::kConsistentHash;
}

}  // namespace

BackendResolver::BackendResolver(const StoreContents& contents,
                                 proxy::EndpointStateRegistry& registry, WarningList& warnings)
    : contents_(contents),
      registry_(registry),
      warnings_(warnings),
      held_when_empty_(services_held_when_empty(contents)) {
  for (const auto& [key, slice] : contents_.endpoint_slices) {
    const std::string service = slice->service_name();
    if (!service.empty()) {
      slices_by_service_[slice->meta.namespace_ + "/" + service].push_back(slice.get());
    }
  }
}

std::shared_ptr<const proxy::Backend> BackendResolver::resolve(const std::string& namespace_,
                                                               const IngressBackend& reference,
                                                               const std::string& referrer,
                                                               const IngressPolicy& policy) {
  const std::string service_key = namespace_ + "/" + reference.service_name;
  auto service_it = contents_.services.find(service_key);
  if (service_it == contents_.services.end()) {
    warnings_.add("Ingress", referrer,
                  "service " + service_key + " not found; its paths answer 503");
    return nullptr;
  }
  const Service& service = *service_it->second;
  const ServicePort* port = find_service_port(service, reference.port);
  if (port == nullptr) {
    warnings_.add("Ingress", referrer,
                  "service " + service_key + " has no port " + reference.port.to_string() +
                      "; its paths answer 503");
    return nullptr;
  }
  const std::string name = service_key + ":" + std::to_string(port->port);
  std::vector<std::shared_ptr<const proxy::Backend>>& same_port = by_name_[name];
  for (const std::shared_ptr<const proxy::Backend>& cached : same_port) {
    if (cached->policy == policy.balancing && cached->retry == policy.retry) return cached;
  }

  auto backend = std::make_shared<proxy::Backend>();
  backend->index = static_cast<uint32_t>(backends_.size());
  backend->name = name;
  backend->namespace_ = namespace_;
  backend->service = reference.service_name;
  if (!same_port.empty()) {
    backend->endpoints = same_port.front()->endpoints;
  } else if (service.type == "ExternalName") {
    backend->endpoints = external_endpoints(service, *port);
  } else {
    backend->endpoints = endpoints_for(service, *port);
  }
  backend->policy = policy.balancing;
  if (hashes(policy.balancing)) {
    backend->hash_table = proxy::MaglevTable::build(backend->endpoints);
  }
  if (policy.balancing.affinity.enabled) {
    backend->cookie_index = std::make_shared<const proxy::SessionCookieIndex>(backend->endpoints);
  }
  const annotations::ServicePolicy& service_wide = service_policy(service);
  backend->health_check = service_wide.health_check;
  backend->outlier_detection = service_wide.outlier_detection;
  backend->circuit_breaker = service_wide.circuit_breaker;
  backend->retry = policy.retry;
  if (auto held = held_when_empty_.find(service_key); held != held_when_empty_.end()) {
    backend->hold_when_empty = held->second;
  }
  // One state per Service, whatever the port or policy: its circuit breaker is configured on
  // the Service and limits the Service as a whole, as its metrics report it.
  backend->state = registry_.acquire_backend(service_key);
  std::shared_ptr<const proxy::Backend> shared = std::move(backend);
  same_port.push_back(shared);
  backends_.push_back(shared);
  return shared;
}

const annotations::ServicePolicy& BackendResolver::service_policy(const Service& service) {
  const std::string key = service.meta.key();
  auto [it, inserted] = service_policies_.try_emplace(key);
  if (inserted) {
    it->second = annotations::service_policy_from(service.meta.annotations);
    for (const std::string& problem : it->second.problems) warnings_.add("Service", key, problem);
  }
  return it->second;
}

proxy::Endpoint BackendResolver::endpoint_at(const boost::asio::ip::tcp::endpoint& address,
                                             uint32_t weight) {
  return proxy::Endpoint{address, weight, registry_.acquire(proxy::endpoint_identity(address))};
}

uint32_t BackendResolver::weight_of(const EndpointSlice& slice, const SliceEndpoint& endpoint) {
  uint32_t weight = annotations::kDefaultEndpointWeight;
  const ObjectReference& target = endpoint.target_ref;
  if (target.kind != "Pod" || contents_.pods.empty()) return weight;
  pod_key_.assign(target.namespace_.empty() ? slice.meta.namespace_ : target.namespace_);
  pod_key_.append("/").append(target.name);
  // A slice can name a pod the pod watch has not delivered yet: the default until it does.
  const auto it = contents_.pods.find(pod_key_);
  if (it == contents_.pods.end()) return weight;
  std::vector<std::string> problems;
  annotations::apply(annotations::parse_endpoint_weight(it->second->meta.annotations), weight,
                     std::to_string(annotations::kDefaultEndpointWeight), problems);
  for (std::string& problem : problems) warnings_.add("Pod", pod_key_, std::move(problem));
  return weight;
}

std::vector<proxy::Endpoint> BackendResolver::external_endpoints(const Service& service,
                                                                 const ServicePort& port) {
  const auto port_number = static_cast<unsigned short>(port.port);
  boost::system::error_code error;
  const boost::asio::ip::address literal =
      boost::asio::ip::make_address(service.external_name, error);
  if (!error) return {endpoint_at({literal, port_number}, annotations::kDefaultEndpointWeight)};

  auto resolved = contents_.resolved_names.find(service.external_name);
  if (resolved == contents_.resolved_names.end() || resolved->second.empty()) {
    warnings_.add("Service", service.meta.key(),
                  "external name \"" + service.external_name +
                      "\" has no resolved address yet; requests answer 503");
    return {};
  }
  std::vector<proxy::Endpoint> endpoints;
  for (const std::string& text : resolved->second) {
    const boost::asio::ip::address address = boost::asio::ip::make_address(text, error);
    if (!error) {
      endpoints.push_back(endpoint_at({address, port_number}, annotations::kDefaultEndpointWeight));
    }
  }
  return endpoints;
}

std::vector<proxy::Endpoint> BackendResolver::endpoints_for(const Service& service,
                                                            const ServicePort& port) {
  const std::string service_key = service.meta.key();
  auto slices_it = slices_by_service_.find(service_key);
  if (slices_it == slices_by_service_.end()) {
    warnings_.add("Service", service_key,
                  "no EndpointSlice labelled kubernetes.io/service-name=" + service.meta.name +
                      "; requests answer 503");
    return {};
  }

  std::vector<WeightedAddress> ready;
  std::vector<WeightedAddress> draining;  // serving and terminating
  for (const EndpointSlice* slice : slices_it->second) {
    if (slice->address_type == "FQDN") {
      warnings_.add("EndpointSlice", slice->meta.key(),
                    "FQDN endpoints are not supported; slice skipped");
      continue;
    }
    const std::optional<int32_t> number = endpoint_port(*slice, port);
    if (!number) {
      warnings_.add("EndpointSlice", slice->meta.key(),
                    "no port named \"" + port.target_port.name + "\" for service port " +
                        std::to_string(port.port) + "; slice skipped");
      continue;
    }
    for (const SliceEndpoint& endpoint : slice->endpoints) {
      const EndpointConditions& conditions = endpoint.conditions;
      const bool terminating = conditions.terminating.value_or(false);
      const bool is_ready = conditions.ready.value_or(true) && !terminating;
      const bool serving = conditions.serving.value_or(conditions.ready.value_or(true));
      if (!is_ready && !(serving && terminating)) continue;
      const uint32_t weight = weight_of(*slice, endpoint);
      for (const std::string& text : endpoint.addresses) {
        boost::system::error_code error;
        const boost::asio::ip::address address = boost::asio::ip::make_address(text, error);
        if (error) {
          warnings_.add("EndpointSlice", slice->meta.key(),
                        "invalid address \"" + text + "\" skipped");
          continue;
        }
        (is_ready ? ready : draining)
            .push_back({{address, static_cast<unsigned short>(*number)}, weight});
      }
    }
  }

  std::vector<proxy::Endpoint> endpoints;
  std::set<boost::asio::ip::tcp::endpoint> seen;
  bool weighed_out = false;
  for (const WeightedAddress& candidate : ready.empty() ? draining : ready) {
    if (!seen.insert(candidate.address).second) continue;
    if (candidate.weight == 0) {
      weighed_out = true;
      continue;
    }
    endpoints.push_back(endpoint_at(candidate.address, candidate.weight));
  }
  if (endpoints.empty() && weighed_out) {
    warnings_.add("Service", service_key,
                  std::string("every endpoint has ") + annotations::kEndpointWeightAnnotation +
                      " 0; requests answer 503");
  }
  return endpoints;
}

}  // namespace portico::controller
