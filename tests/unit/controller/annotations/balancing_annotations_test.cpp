#include "controller/annotations/balancing_annotations.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "controller/annotations/hash_by.h"
#include "controller/annotations/load_balance.h"
#include "controller/annotations/nginx_load_balance.h"
#include "controller/annotations/nginx_upstream_hash_by.h"
#include "controller/annotations/slow_start.h"

namespace portico::controller::annotations {
namespace {

using proxy::Algorithm;
using proxy::BalancingPolicy;
using proxy::HashSource;
using std::chrono::milliseconds;

const BalancingPolicy kDefault{};

BalancingPolicy policy(Algorithm algorithm, HashSource source = HashSource::kClientIp,
                       std::string name = "", milliseconds slow_start = milliseconds(0)) {
  return BalancingPolicy{algorithm, source, std::move(name), slow_start};
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const std::string& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(BalancingAnnotationsTest, ChoosesThePolicy) {
  const struct {
    const char* name;
    Annotations annotations;
    BalancingPolicy expected;
  } cases[] = {
      {"nothing set", {}, kDefault},
      {"algorithm",
       {{kLoadBalanceAnnotation, "least-connections"}},
       policy(Algorithm::kLeastConnections)},
      {"nginx round_robin",
       {{kNginxLoadBalanceAnnotation, "round_robin"}},
       policy(Algorithm::kRoundRobin)},
      {"nginx ewma",
       {{kNginxLoadBalanceAnnotation, "ewma"}},
       policy(Algorithm::kLeastResponseTime)},
      {"portico over nginx",
       {{kLoadBalanceAnnotation, "random"}, {kNginxLoadBalanceAnnotation, "ewma"}},
       policy(Algorithm::kRandom)},
      {"hash-by implies consistent-hash",
       {{kHashByAnnotation, "cookie:sid"}},
       policy(Algorithm::kConsistentHash, HashSource::kCookie, "sid")},
      {"upstream-hash-by implies consistent-hash",
       {{kNginxUpstreamHashByAnnotation, "$http_x_user"}},
       policy(Algorithm::kConsistentHash, HashSource::kHeader, "x-user")},
      {"portico hash-by over nginx",
       {{kHashByAnnotation, "path"}, {kNginxUpstreamHashByAnnotation, "$remote_addr"}},
       policy(Algorithm::kConsistentHash, HashSource::kPath)},
      {"consistent-hash with its key",
       {{kLoadBalanceAnnotation, "consistent-hash"}, {kHashByAnnotation, "header:X-Tenant"}},
       policy(Algorithm::kConsistentHash, HashSource::kHeader, "x-tenant")},
      {"consistent-hash without a key hashes the client",
       {{kLoadBalanceAnnotation, "consistent-hash"}},
       policy(Algorithm::kConsistentHash, HashSource::kClientIp)},
      {"ip-hash", {{kLoadBalanceAnnotation, "ip-hash"}}, policy(Algorithm::kIpHash)},
      {"ip-hash with client-ip",
       {{kLoadBalanceAnnotation, "ip-hash"}, {kHashByAnnotation, "client-ip"}},
       policy(Algorithm::kIpHash)},
      {"slow start",
       {{kSlowStartAnnotation, "45s"}},
       policy(Algorithm::kRoundRobin, HashSource::kClientIp, "", milliseconds(45'000))},
      {"everything",
       {{kLoadBalanceAnnotation, "consistent-hash"},
        {kHashByAnnotation, "cookie:user"},
        {kSlowStartAnnotation, "1m"}},
       policy(Algorithm::kConsistentHash, HashSource::kCookie, "user", milliseconds(60'000))},
  };
  for (const auto& test : cases) {
    const AnnotatedPolicy chosen = balancing_policy_from(test.annotations, kDefault);
    EXPECT_EQ(chosen.policy, test.expected) << test.name;
    EXPECT_TRUE(chosen.problems.empty()) << test.name << ": " << chosen.problems.front();
  }
}

TEST(BalancingAnnotationsTest, UnsetFieldsComeFromTheDefault) {
  const BalancingPolicy fallback =
      policy(Algorithm::kLeastConnections, HashSource::kClientIp, "", milliseconds(5'000));
  EXPECT_EQ(balancing_policy_from({}, fallback).policy, fallback);
  // A hash key alone selects consistent-hash, over any default algorithm.
  EXPECT_EQ(balancing_policy_from({{kHashByAnnotation, "path"}}, fallback).policy,
            (policy(Algorithm::kConsistentHash, HashSource::kPath, "", milliseconds(5'000))));
  EXPECT_EQ(balancing_policy_from({{kHashByAnnotation, "path"}}, policy(Algorithm::kIpHash)).policy,
            (policy(Algorithm::kConsistentHash, HashSource::kPath)));
  EXPECT_EQ(balancing_policy_from({{kSlowStartAnnotation, "0s"}}, fallback).policy.slow_start,
            milliseconds(0));
}

TEST(BalancingAnnotationsTest, FieldsTheAlgorithmDoesNotUseAreCleared) {
  const BalancingPolicy hashed_default =
      policy(Algorithm::kConsistentHash, HashSource::kHeader, "x-a");
  EXPECT_EQ(balancing_policy_from({{kLoadBalanceAnnotation, "round-robin"}}, hashed_default).policy,
            BalancingPolicy{});
  // An explicit hashing algorithm without a key hashes the client, not the default's key.
  EXPECT_EQ(
      balancing_policy_from({{kLoadBalanceAnnotation, "consistent-hash"}}, hashed_default).policy,
      policy(Algorithm::kConsistentHash));
  EXPECT_EQ(balancing_policy_from({}, hashed_default).policy, hashed_default);
}

TEST(BalancingAnnotationsTest, IpHashAlwaysHashesTheClient) {
  const AnnotatedPolicy chosen = balancing_policy_from(
      {{kLoadBalanceAnnotation, "ip-hash"}, {kHashByAnnotation, "header:X-User"}}, kDefault);
  EXPECT_EQ(chosen.policy, policy(Algorithm::kIpHash));
  ASSERT_EQ(chosen.problems.size(), 1u);
  EXPECT_TRUE(mentions(chosen.problems, kHashByAnnotation)) << chosen.problems[0];
  EXPECT_TRUE(mentions(chosen.problems, "\"header:X-User\"")) << chosen.problems[0];
}

TEST(BalancingAnnotationsTest, AHashKeyOverridesANonHashingAlgorithmWithAWarning) {
  const AnnotatedPolicy chosen = balancing_policy_from(
      {{kNginxLoadBalanceAnnotation, "ewma"}, {kNginxUpstreamHashByAnnotation, "$request_uri"}},
      kDefault);
  EXPECT_EQ(chosen.policy, (policy(Algorithm::kConsistentHash, HashSource::kPath)));
  ASSERT_EQ(chosen.problems.size(), 1u);
  EXPECT_TRUE(mentions(chosen.problems, kNginxLoadBalanceAnnotation)) << chosen.problems[0];
  EXPECT_TRUE(mentions(chosen.problems, "\"ewma\"")) << chosen.problems[0];
  EXPECT_TRUE(mentions(chosen.problems, kNginxUpstreamHashByAnnotation)) << chosen.problems[0];
}

TEST(BalancingAnnotationsTest, AnInvalidValueGivesTheDefaultPolicyAndNamesIt) {
  const BalancingPolicy fallback = policy(Algorithm::kLeastConnections);
  const struct {
    const char* annotation;
    const char* value;
  } cases[] = {
      {kLoadBalanceAnnotation, "fastest"},
      {kHashByAnnotation, "header:a b"},
      {kSlowStartAnnotation, "1h"},
  };
  for (const auto& test : cases) {
    // The other annotations are valid, and dropped all the same.
    Annotations annotations = {{kLoadBalanceAnnotation, "consistent-hash"},
                               {kHashByAnnotation, "path"},
                               {kSlowStartAnnotation, "10s"}};
    annotations[test.annotation] = test.value;
    const AnnotatedPolicy chosen = balancing_policy_from(annotations, fallback);
    EXPECT_EQ(chosen.policy, fallback) << test.annotation;
    ASSERT_EQ(chosen.problems.size(), 1u) << test.annotation;
    EXPECT_TRUE(mentions(chosen.problems, test.annotation)) << chosen.problems[0];
    EXPECT_TRUE(mentions(chosen.problems, quote_value(test.value))) << chosen.problems[0];
    EXPECT_TRUE(mentions(chosen.problems, "default policy (least-connections)"))
        << chosen.problems[0];
  }
}

TEST(BalancingAnnotationsTest, EveryInvalidValueIsReported) {
  const AnnotatedPolicy chosen = balancing_policy_from(
      {{kLoadBalanceAnnotation, "x"}, {kHashByAnnotation, "y"}, {kSlowStartAnnotation, "z"}},
      kDefault);
  EXPECT_EQ(chosen.policy, kDefault);
  EXPECT_EQ(chosen.problems.size(), 3u);
}

TEST(BalancingAnnotationsTest, AnInvalidPorticoValueHidesTheNginxOne) {
  const AnnotatedPolicy chosen = balancing_policy_from(
      {{kLoadBalanceAnnotation, "ewma"}, {kNginxLoadBalanceAnnotation, "ewma"}}, kDefault);
  EXPECT_EQ(chosen.policy, kDefault);
  ASSERT_EQ(chosen.problems.size(), 1u);
  EXPECT_TRUE(mentions(chosen.problems, kLoadBalanceAnnotation)) << chosen.problems[0];
}

TEST(BalancingAnnotationsTest, AnUnmappedNginxValueIsIgnoredAndTheRestApplies) {
  const AnnotatedPolicy chosen =
      balancing_policy_from({{kNginxLoadBalanceAnnotation, "sticky_balanced"},
                             {kNginxUpstreamHashByAnnotation, "$host$uri"},
                             {kSlowStartAnnotation, "20s"}},
                            kDefault);
  EXPECT_EQ(chosen.policy,
            (policy(Algorithm::kRoundRobin, HashSource::kClientIp, "", milliseconds(20'000))));
  ASSERT_EQ(chosen.problems.size(), 2u);
  EXPECT_TRUE(mentions(chosen.problems, "\"sticky_balanced\"")) << chosen.problems[0];
  EXPECT_TRUE(mentions(chosen.problems, "\"$host$uri\"")) << chosen.problems[1];
  EXPECT_TRUE(mentions(chosen.problems, "ignored"));

  // An ignored nginx algorithm leaves a mapped hash key in charge.
  EXPECT_EQ(balancing_policy_from({{kNginxLoadBalanceAnnotation, "chash"},
                                   {kNginxUpstreamHashByAnnotation, "$remote_addr"}},
                                  kDefault)
                .policy,
            policy(Algorithm::kConsistentHash));
}

}  // namespace
}  // namespace portico::controller::annotations
