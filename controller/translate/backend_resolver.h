#pragma once
// Turns an Ingress backend reference into a proxy::Backend: Service port, then the
// EndpointSlices of that Service, then the endpoints to send traffic to.
//
// Port rules (kept simple on purpose):
//  - the Ingress names a Service port by number (ServicePort::port) or by name;
//  - in each EndpointSlice of the Service, the endpoint port is the slice port whose name
//    equals that Service port's name (an unnamed Service port matches an unnamed slice port);
//  - when no slice port matches, a numeric targetPort is used, or the Service port itself
//    when targetPort is unset; a named targetPort without a matching slice port skips the
//    slice with a warning.
// Endpoint rules: endpoints that are ready and not terminating; when there are none in any
// slice, the serving-and-terminating ones (drained, but better than a 503). Each ip:port is
// used once, however many slices list it.
// Weights: an endpoint whose targetRef is a Pod (in the slice's namespace unless the
// reference names one) takes the Pod's portico.io/weight (controller/annotations/
// endpoint_weight.h); 1 when the annotation is absent, the Pod is not in the store yet, or
// the value is invalid (a warning naming the Pod). Weight-0 endpoints are left out of the
// backend, so that no algorithm and no retry sends them new requests; when every endpoint
// is at 0 the backend has none (503), with a warning naming the Service.
// ExternalName Services: the addresses StoreContents::resolved_names holds for the external
// name (an IP literal is used as it is), on the Service port's number, as ingress-nginx does.
// Policies: what the referring Ingress decides (balancing, retries) comes with each
// reference, so one Service port under two Ingress policies is two backends, with the same
// name and endpoints. What the Service's annotations decide (health check, outlier
// detection, circuit breaker; controller/annotations/service_annotations.h) is the same
// for every backend of its ports; a refused Service annotation is a warning naming the
// Service. A hashing policy's backend carries its Maglev table, built here once per backend.
// A Service that a ScalingPolicy may scale to zero holds requests while it has no endpoint
// (controller/translate/scale_from_zero.h).
// Each backend's shared counters (Backend::state) come from the registry under its name and
// Ingress policy, so they survive rebuilds for as long as some snapshot holds them.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "controller/annotations/service_annotations.h"
#include "controller/model/ingress.h"
#include "controller/store/store_contents.h"
#include "controller/translate/warning.h"
#include "proxy/balancer/balancing_policy.h"
#include "proxy/snapshot/endpoint_state.h"
#include "proxy/snapshot/route_snapshot.h"
#include "proxy/upstream/retry_policy.h"

namespace portico::controller {

// What an Ingress' annotations decide for every backend it routes to.
struct IngressPolicy {
  proxy::BalancingPolicy balancing;
  proxy::RetryPolicy retry;

  bool operator==(const IngressPolicy&) const = default;
};

// Lives for one translation; single-threaded. Backends are shared: every reference that
// resolves to the same Service port with the same Ingress policy yields the same object.
class BackendResolver {
 public:
  BackendResolver(const StoreContents& contents, proxy::EndpointStateRegistry& registry,
                  WarningList& warnings);

  // Null (with a warning naming `referrer`, the Ingress) when the Service or its port does
  // not exist.
  std::shared_ptr<const proxy::Backend> resolve(const std::string& namespace_,
                                                const IngressBackend& reference,
                                                const std::string& referrer,
                                                const IngressPolicy& policy);

  // Every backend resolved so far, in Backend::index order.
  std::vector<std::shared_ptr<const proxy::Backend>> backends() const { return backends_; }

 private:
  std::vector<proxy::Endpoint> endpoints_for(const Service& service, const ServicePort& port);
  std::vector<proxy::Endpoint> external_endpoints(const Service& service, const ServicePort& port);
  proxy::Endpoint endpoint_at(const boost::asio::ip::tcp::endpoint& address, uint32_t weight);
  // portico.io/weight of the Pod `endpoint` of `slice` refers to; one map lookup, no copy.
  uint32_t weight_of(const EndpointSlice& slice, const SliceEndpoint& endpoint);
  // The Service's annotations, read (and warned about) once per translation.
  const annotations::ServicePolicy& service_policy(const Service& service);

  const StoreContents& contents_;
  proxy::EndpointStateRegistry& registry_;
  WarningList& warnings_;
  const std::map<std::string, proxy::HoldWhenEmpty> held_when_empty_;  // by "namespace/service"
  // "namespace/service" -> its slices, in key order.
  std::map<std::string, std::vector<const EndpointSlice*>> slices_by_service_;
  // "namespace/service" -> what its annotations decide.
  std::map<std::string, annotations::ServicePolicy> service_policies_;
  std::string pod_key_;  // weight_of()'s lookup key, reused so that it does not allocate
  // "ns/svc:port" -> its backends, one per Ingress policy (a handful at most: a linear
  // search).
  std::map<std::string, std::vector<std::shared_ptr<const proxy::Backend>>> by_name_;
  std::vector<std::shared_ptr<const proxy::Backend>> backends_;
};

}  // namespace portico::controller
