#pragma once
// How one backend spreads its requests: the algorithm and, for the hashing ones, what is
// hashed, and whether a cookie pins each client to one endpoint on top of the algorithm. A
// plain value in the snapshot, chosen by the controller from annotations.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portico::proxy {

enum class Algorithm {
  kRoundRobin,
  kWeightedRoundRobin,
  kLeastConnections,
  kWeightedLeastConnections,
  kIpHash,
  kConsistentHash,
  kLeastResponseTime,
  kRandom,
  kPowerOfTwoChoices,
  kResourceBased,
};

// The names users write in portico.io/load-balance and --load-balance ("round-robin",
// "weighted-round-robin", "least-connections", "weighted-least-connections", "ip-hash",
// "consistent-hash", "least-response-time", "random", "power-of-two-choices",
// "resource-based"). Pure.
std::optional<Algorithm> parse_algorithm(std::string_view name);
std::string_view algorithm_name(Algorithm algorithm);

// What the hashing algorithms hash. ip-hash always hashes the client address.
enum class HashSource { kClientIp, kHeader, kCookie, kPath };

// Cookie-based session affinity (sticky sessions): a request carrying the cookie goes to the
// endpoint it names while that endpoint is in the backend and available; any other request
// is balanced by the algorithm and its response sets the cookie to the endpoint that
// answered (proxy/balancer/session_affinity.h). Fields other than `enabled` keep their
// defaults while it is off, so that equal intentions give equal policies.
struct SessionAffinity {
  bool enabled = false;
  std::string cookie_name = "PORTICO_AFFINITY";  // an RFC 6265 token
  std::optional<uint32_t> max_age_seconds;       // none: a session cookie (no Max-Age)
  std::string path = "/";                        // visible ASCII but ';' and ','

  bool operator==(const SessionAffinity&) const = default;
};

struct BalancingPolicy {
  Algorithm algorithm = Algorithm::kRoundRobin;
  HashSource hash_source = HashSource::kClientIp;
  std::string hash_name;  // the header or cookie name for kHeader / kCookie
  // A new endpoint's share grows linearly from 10 % to 100 % over this window (weighted
  // round robin and the least-connections family); 0 turns slow start off.
  std::chrono::milliseconds slow_start{0};
  SessionAffinity affinity{};

  bool operator==(const BalancingPolicy&) const = default;
};

}  // namespace portico::proxy
