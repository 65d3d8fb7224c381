#include "controller/metrics/resource_weight_updater.h"

#include <string_view>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

#include "common/log.h"
#include "controller/metrics/pod_cpu_request.h"
#include "controller/metrics/pod_metrics_client.h"
#include "controller/metrics/resource_weight.h"
#include "proxy/net/address_text.h"

namespace portico::controller::metrics {
namespace {

// Pod IPs as endpoint identities spell addresses (IPv6 compressed the same way).
std::vector<std::string> canonical_ips(const Pod& pod) {
  std::vector<std::string> ips;
  for (const std::string& ip : pod.pod_ips) {
    boost::system::error_code error;
    const boost::asio::ip::address address = boost::asio::ip::make_address(ip, error);
    if (!error) ips.push_back(proxy::address_text(address));
  }
  return ips;
}

// "10.0.0.1" of "10.0.0.1:8080", "fd00::1" of "[fd00::1]:8080".
std::string_view host_of(std::string_view identity) {
  if (identity.starts_with('[')) return identity.substr(1, identity.find(']') - 1);
  return identity.substr(0, identity.rfind(':'));
}

}  // namespace

ResourceWeightUpdater::ResourceWeightUpdater(kube::ApiClient& client, const ObjectStore& store,
                                             proxy::EndpointStateRegistry& endpoints,
                                             std::function<bool()> wanted,
                                             ResourceWeightOptions options)
    : client_(client),
      store_(store),
      endpoints_(endpoints),
      wanted_(std::move(wanted)),
      options_(std::move(options)) {}

ResourceWeightUpdater::~ResourceWeightUpdater() {
  stop();
}

void ResourceWeightUpdater::start() {
  loop_.start([this] {
    do {
      update_once();
    } while (loop_.sleep_for(options_.interval));
  });
}

void ResourceWeightUpdater::stop() {
  loop_.stop();
}

void ResourceWeightUpdater::update_once() {
  if (!wanted_()) {
    forget_weights();
    return;
  }
  Result<std::vector<PodUsage>> usage = list_pod_usage(client_, {options_.namespace_, ""});
  if (!usage) {
    if (usage.error() != last_error_) {
      log::warn("resource-based balancing falls back to static weights: " + usage.error());
      last_error_ = usage.error();
    }
    forget_weights();
    return;
  }
  last_error_.clear();
  const StoreContents contents = store_.contents();
  std::vector<PodCpu> pods;
  pods.reserve(usage.value().size());
  for (const PodUsage& pod_usage : usage.value()) {
    auto it = contents.pods.find(pod_usage.key());
    if (it == contents.pods.end()) continue;
    pods.push_back(PodCpu{canonical_ips(*it->second), pod_usage.cpu_milli,
                          pod_cpu_request_milli(*it->second)});
  }
  const std::unordered_map<std::string, int32_t> weights =
      resource_weights_by_ip(pods, options_.cpu_ceiling_percent);
  endpoints_.for_each_endpoint([&](proxy::EndpointState& endpoint) {
    auto it = weights.find(std::string(host_of(endpoint.identity)));
    endpoint.resource_weight.store(it == weights.end() ? -1 : it->second,
                                   std::memory_order_relaxed);
  });
  weights_written_ = true;
}

void ResourceWeightUpdater::forget_weights() {
  if (!weights_written_) return;
  endpoints_.for_each_endpoint([](proxy::EndpointState& endpoint) {
    endpoint.resource_weight.store(-1, std::memory_order_relaxed);
  });
  weights_written_ = false;
}

}  // namespace portico::controller::metrics
