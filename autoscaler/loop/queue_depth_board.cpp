#include "autoscaler/loop/queue_depth_board.h"

#include <algorithm>

#include "autoscaler/loop/service_endpoints.h"
#include "autoscaler/sources/peer_queue_depth.h"

namespace portico::autoscaler {

QueueDepthBoard::QueueDepthBoard(proxy::EndpointStateRegistry& registry, PeerOptions peers)
    : registry_(registry),
      peers_(std::move(peers)),
      scraper_(
          [port = peers_.metrics_port, timeout = peers_.scrape_timeout](
              const std::string& address) { return scrape_queue_depth(address, port, timeout); },
          peers_.scrape_period, "a peer's queue depth") {}

void QueueDepthBoard::track(const std::set<std::string>& services) {
  std::erase_if(local_, [&](const auto& entry) { return !services.contains(entry.first); });
  for (const std::string& service : services) {
    if (!local_.contains(service)) local_[service] = registry_.acquire_backend(service);
  }
}

std::vector<std::string> QueueDepthBoard::peer_addresses(const controller::StoreContents& contents,
                                                         const std::string& service,
                                                         const std::string& self_ip) {
  std::vector<std::string> addresses = ready_pod_addresses(contents, service);
  std::erase(addresses, self_ip);
  return addresses;
}

void QueueDepthBoard::refresh_peers(const controller::StoreContents& contents, TimePoint now) {
  now_ = now;
  if (peers_.service.empty()) return;
  scraper_.set_keys(peer_addresses(contents, peers_.service, peers_.self_ip));
  peer_figures_ = scraper_.latest();
}

void QueueDepthBoard::forget_peers() {
  scraper_.set_keys({});
  peer_figures_.clear();
}

ServiceLoad QueueDepthBoard::load(const std::string& service) const {
  ServiceLoad load;
  if (auto it = local_.find(service); it != local_.end()) {
    const proxy::BackendState& state = *it->second;
    load.in_flight = state.requests.load(std::memory_order_relaxed) +
                     state.pending.load(std::memory_order_relaxed) +
                     state.held.load(std::memory_order_relaxed);
    load.arrivals = static_cast<int64_t>(state.arrivals.load(std::memory_order_relaxed));
  } else {
    load.arrivals = 0;
  }
  for (const auto& [address, latest] : peer_figures_) {
    if (!latest.value || now_ - latest.read_at > peers_.peer_stale_after) continue;
    const PeerLoad& figures = *latest.value;
    load.peers.push_back(address);
    if (auto it = figures.queue_depth.find(service); it != figures.queue_depth.end()) {
      load.in_flight += it->second;
    }
    const auto arrivals = figures.arrivals.find(service);
    if (arrivals == figures.arrivals.end()) {
      load.arrivals.reset();
    } else if (load.arrivals) {
      *load.arrivals += arrivals->second;
    }
  }
  return load;
}

}  // namespace portico::autoscaler
