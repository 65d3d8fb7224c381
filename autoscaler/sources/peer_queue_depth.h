#pragma once
// Queue depth as another Portico replica reports it on its metrics endpoint: per Service, the
// requests in flight plus those held while the Service has no ready endpoint. The leader adds
// its peers' figures to its own. Blocking, control plane: call from the autoscaler's thread.
// Thread-safe; never throws.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portico::autoscaler {

// A replica's whole exposition is far smaller; this bounds what a broken peer can make the
// leader read.
inline constexpr std::size_t kMaxExpositionBytes = 16u << 20;

// Per "namespace/service", the sum of every portico_service_requests_in_flight and
// portico_held_requests sample in a Prometheus text exposition (format 0.0.4). Samples of
// those two families must be well formed, carry non-empty namespace and service labels and
// a whole, non-negative value (written "3", "3e0" or "3.0"), else the whole exposition is an
// Error naming the line. Comments, blank lines and other families, malformed or not, are
// skipped. Pure; any thread.
Result<std::map<std::string, int64_t>> parse_queue_depth(std::string_view exposition);

// Per "namespace/service", portico_service_arrivals_total: the requests the replica has routed
// to the Service since it started, under the same rules as parse_queue_depth().
Result<std::map<std::string, int64_t>> parse_arrivals(std::string_view exposition);

// What one scrape of a replica says.
struct PeerLoad {
  std::map<std::string, int64_t> queue_depth;  // parse_queue_depth()
  std::map<std::string, int64_t> arrivals;     // parse_arrivals()
};

// GETs http://host:port/metrics (an IPv6 `host` with or without brackets) and parses it. The
// whole call ends within `timeout`; a body over kMaxExpositionBytes is refused. An Error names
// the URL and says why: no connection, the deadline, a non-2xx status (with a short excerpt
// of the body), or an exposition the parsers refuse.
Result<PeerLoad> scrape_queue_depth(const std::string& host, uint16_t port,
                                    std::chrono::milliseconds timeout);

}  // namespace portico::autoscaler
