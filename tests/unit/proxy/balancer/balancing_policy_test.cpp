#include "proxy/balancer/balancing_policy.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

constexpr Algorithm kEveryAlgorithm[] = {
    Algorithm::kRoundRobin,
    Algorithm::kWeightedRoundRobin,
    Algorithm::kLeastConnections,
    Algorithm::kWeightedLeastConnections,
    Algorithm::kIpHash,
    Algorithm::kConsistentHash,
    Algorithm::kLeastResponseTime,
    Algorithm::kRandom,
    Algorithm::kPowerOfTwoChoices,
    Algorithm::kResourceBased,
};

TEST(BalancingPolicyTest, EveryNameTheDocumentationListsParses) {
  EXPECT_EQ(parse_algorithm("round-robin"), Algorithm::kRoundRobin);
  EXPECT_EQ(parse_algorithm("weighted-round-robin"), Algorithm::kWeightedRoundRobin);
  EXPECT_EQ(parse_algorithm("least-connections"), Algorithm::kLeastConnections);
  EXPECT_EQ(parse_algorithm("weighted-least-connections"), Algorithm::kWeightedLeastConnections);
  EXPECT_EQ(parse_algorithm("ip-hash"), Algorithm::kIpHash);
  EXPECT_EQ(parse_algorithm("consistent-hash"), Algorithm::kConsistentHash);
  EXPECT_EQ(parse_algorithm("least-response-time"), Algorithm::kLeastResponseTime);
  EXPECT_EQ(parse_algorithm("random"), Algorithm::kRandom);
  EXPECT_EQ(parse_algorithm("power-of-two-choices"), Algorithm::kPowerOfTwoChoices);
  EXPECT_EQ(parse_algorithm("resource-based"), Algorithm::kResourceBased);
}

TEST(BalancingPolicyTest, EveryAlgorithmRoundTripsThroughItsName) {
  std::set<std::string> names;
  for (const Algorithm algorithm : kEveryAlgorithm) {
    const std::string_view name = algorithm_name(algorithm);
    EXPECT_EQ(parse_algorithm(name), algorithm) << name;
    names.emplace(name);
  }
  EXPECT_EQ(names.size(), std::size(kEveryAlgorithm));  // no two algorithms share a name
}

TEST(BalancingPolicyTest, UnknownNamesAreRejected) {
  for (const char* name :
       {"", "roundrobin", "Round-Robin", "round-robin ", "least_conn", "ewma", "hash", "random-"}) {
    EXPECT_EQ(parse_algorithm(name), std::nullopt) << '"' << name << '"';
  }
}

}  // namespace
}  // namespace portico::proxy
