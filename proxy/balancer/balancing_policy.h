#pragma once
// How one backend spreads its requests: the algorithm and, for the hashing ones, what is
// hashed. A plain value in the snapshot, chosen by the controller from annotations.
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

struct BalancingPolicy {
  Algorithm algorithm = Algorithm::kRoundRobin;
  HashSource hash_source = HashSource::kClientIp;
  std::string hash_name;  // the header or cookie name for kHeader / kCookie
  // A new endpoint's share grows linearly from 10 % to 100 % over this window (weighted
  // round robin and the least-connections family); 0 turns slow start off.
  std::chrono::milliseconds slow_start{0};

  bool operator==(const BalancingPolicy&) const = default;
};

}  // namespace portico::proxy
