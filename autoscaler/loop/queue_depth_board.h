#pragma once
// Queue depth per Service over every Portico replica: this replica's own counters (the
// proxy's per-Service BackendState, read in process) plus the figures its peers export on
// their metrics endpoints (portico_service_requests_in_flight + portico_held_requests),
// scraped from the ready endpoints of Portico's own Service by a BackgroundReads of its own, so
// that reading them never waits on the network. A peer that cannot be scraped keeps its last
// figure for `peer_stale_after`, then counts as 0 (it has most likely gone, and its requests
// with it). The autoscaler's thread only, but for start() and stop().
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "autoscaler/decision/recommendation_history.h"
#include "autoscaler/loop/background_reads.h"
#include "autoscaler/sources/peer_queue_depth.h"
#include "controller/store/store_contents.h"
#include "proxy/snapshot/endpoint_state.h"

namespace portico::autoscaler {

struct PeerOptions {
  std::string service;  // "namespace/name" of Portico's own Service; empty: no peers
  uint16_t metrics_port = 9090;
  std::string self_ip;  // this replica's pod IP, left out of the peers
  std::chrono::milliseconds scrape_timeout{500};
  std::chrono::milliseconds peer_stale_after{5000};
  std::chrono::milliseconds scrape_period{200};
};

struct ServiceLoad {
  int64_t in_flight = 0;  // requests in flight, waiting for a connection or held
  // Cumulative arrivals summed over this replica and the peers counted; unset when a peer
  // counted does not export them.
  std::optional<int64_t> arrivals;
  // The peers counted, so that a caller can tell a sum over another set of replicas (whose
  // jump is no arrival) from the next reading of the same one.
  std::vector<std::string> peers;
};

class QueueDepthBoard {
 public:
  QueueDepthBoard(proxy::EndpointStateRegistry& registry, PeerOptions peers);

  // The peer scraping thread.
  void start() { scraper_.start(); }
  void stop() { scraper_.stop(); }

  // Keeps this replica's counters for exactly `services` ("namespace/name").
  void track(const std::set<std::string>& services);
  // Scrapes the ready endpoints of Portico's Service in `contents` from now on, and takes the
  // latest figures read from them. Never blocks on a peer.
  void refresh_peers(const controller::StoreContents& contents, TimePoint now);
  // Scrapes no peer and forgets their figures (this replica no longer leads).
  void forget_peers();
  ServiceLoad load(const std::string& service) const;

  // Ready addresses of `service`'s endpoints other than `self_ip`. Pure.
  static std::vector<std::string> peer_addresses(const controller::StoreContents& contents,
                                                 const std::string& service,
                                                 const std::string& self_ip);

 private:
  proxy::EndpointStateRegistry& registry_;
  const PeerOptions peers_;
  std::map<std::string, std::shared_ptr<proxy::BackendState>> local_;
  std::map<std::string, BackgroundReads<PeerLoad>::Latest> peer_figures_;  // by address
  TimePoint now_;
  BackgroundReads<PeerLoad> scraper_;  // last: its thread stops before the rest goes
};

}  // namespace portico::autoscaler
