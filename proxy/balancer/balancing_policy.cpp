#include "proxy/balancer/balancing_policy.h"

#include <array>
#include <utility>

namespace portico::proxy {
namespace {

// One table for both directions, so that a name cannot parse to an algorithm that prints
// under a different name.
constexpr std::array<std::pair<Algorithm, std::string_view>, 10> kNames{{
    {Algorithm::kRoundRobin, "round-robin"},
    {Algorithm::kWeightedRoundRobin, "weighted-round-robin"},
    {Algorithm::kLeastConnections, "least-connections"},
    {Algorithm::kWeightedLeastConnections, "weighted-least-connections"},
    {Algorithm::kIpHash, "ip-hash"},
    {Algorithm::kConsistentHash, "consistent-hash"},
    {Algorithm::kLeastResponseTime, "least-response-time"},
    {Algorithm::kRandom, "random"},
    {Algorithm::kPowerOfTwoChoices, "power-of-two-choices"},
    {Algorithm::kResourceBased, "resource-based"},
}};

}  // namespace

std::optional<Algorithm> parse_algorithm(std::string_view name) {
  for (const auto& [algorithm, text] : kNames) {
    if (text == name) return algorithm;
  }
  return std::nullopt;
}

std::string_view algorithm_name(Algorithm algorithm) {
  for (const auto& [candidate, text] : kNames) {
    if (candidate == algorithm) return text;
  }
  return "unknown";
}

}  // namespace portico::proxy
