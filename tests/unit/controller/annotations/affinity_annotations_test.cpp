#include "controller/annotations/affinity_annotations.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "controller/annotations/affinity.h"
#include "controller/annotations/balancing_annotations.h"
#include "controller/annotations/load_balance.h"
#include "controller/annotations/session_cookie_name.h"
#include "controller/annotations/session_cookie_path.h"

namespace portico::controller::annotations {
namespace {

using proxy::SessionAffinity;

SessionAffinity affinity(std::string name = "PORTICO_AFFINITY", std::string path = "/",
                         std::optional<uint32_t> max_age = std::nullopt) {
  SessionAffinity result;
  result.enabled = true;
  result.cookie_name = std::move(name);
  result.path = std::move(path);
  result.max_age_seconds = max_age;
  return result;
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const std::string& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(AffinityAnnotationsTest, ChoosesTheAffinity) {
  const struct {
    const char* name;
    Annotations annotations;
    SessionAffinity expected;
  } cases[] = {
      {"nothing set", {}, SessionAffinity{}},
      {"cookie with the defaults", {{kAffinityAnnotation, "cookie"}}, affinity()},
      {"nginx cookie with the defaults", {{kNginxAffinityAnnotation, "cookie"}}, affinity()},
      {"every Portico setting",
       {{kAffinityAnnotation, "cookie"},
        {kSessionCookieNameAnnotation, "route"},
        {kSessionCookieMaxAgeAnnotation, "3600"},
        {kSessionCookiePathAnnotation, "/shop"}},
       affinity("route", "/shop", 3600)},
      {"every nginx setting",
       {{kNginxAffinityAnnotation, "cookie"},
        {kNginxSessionCookieNameAnnotation, "INGRESSCOOKIE"},
        {kNginxSessionCookieMaxAgeAnnotation, "172800"},
        {kNginxSessionCookiePathAnnotation, "/app"}},
       affinity("INGRESSCOOKIE", "/app", 172800)},
      {"Portico names win, setting by setting",
       {{kNginxAffinityAnnotation, "cookie"},
        {kSessionCookieNameAnnotation, "route"},
        {kNginxSessionCookieNameAnnotation, "INGRESSCOOKIE"},
        {kNginxSessionCookieMaxAgeAnnotation, "60"},
        {kSessionCookiePathAnnotation, "/p"},
        {kNginxSessionCookiePathAnnotation, "/n"}},
       affinity("route", "/p", 60)},
      {"cookie settings without affinity are not read",
       {{kSessionCookieNameAnnotation, "route"},
        {kSessionCookieMaxAgeAnnotation, "60"},
        {kSessionCookiePathAnnotation, "/p"}},
       SessionAffinity{}},
  };
  for (const auto& test : cases) {
    const Annotated<SessionAffinity> result = session_affinity_from(test.annotations);
    EXPECT_EQ(result.value, test.expected) << test.name;
    EXPECT_TRUE(result.problems.empty()) << test.name << ": " << result.problems.front();
  }
}

TEST(AffinityAnnotationsTest, AnInvalidAffinityLeavesItOffAndSaysSo) {
  for (const char* name : {kAffinityAnnotation, kNginxAffinityAnnotation}) {
    const Annotated<SessionAffinity> result =
        session_affinity_from({{name, "ip"}, {kSessionCookieNameAnnotation, "bad name"}});
    EXPECT_EQ(result.value, SessionAffinity{}) << name;
    ASSERT_EQ(result.problems.size(), 1u) << name;
    EXPECT_TRUE(mentions(result.problems, name)) << result.problems[0];
    EXPECT_TRUE(mentions(result.problems, "the default (off) applies")) << result.problems[0];
  }
}

TEST(AffinityAnnotationsTest, AnInvalidPorticoAffinityHidesTheNginxOne) {
  const Annotated<SessionAffinity> result =
      session_affinity_from({{kAffinityAnnotation, "yes"}, {kNginxAffinityAnnotation, "cookie"}});
  EXPECT_FALSE(result.value.enabled);
  EXPECT_TRUE(mentions(result.problems, kAffinityAnnotation));
}

TEST(AffinityAnnotationsTest, AnInvalidCookieSettingKeepsItsDefaultAlone) {
  const Annotated<SessionAffinity> result =
      session_affinity_from({{kAffinityAnnotation, "cookie"},
                             {kSessionCookieNameAnnotation, "no spaces please"},
                             {kNginxSessionCookieNameAnnotation, "INGRESSCOOKIE"},
                             {kSessionCookieMaxAgeAnnotation, "0"},
                             {kSessionCookiePathAnnotation, "/a;Domain=x"}});
  // The invalid Portico name still hides the nginx one.
  EXPECT_EQ(result.value, affinity());
  ASSERT_EQ(result.problems.size(), 3u);
  EXPECT_TRUE(mentions(result.problems, kSessionCookieNameAnnotation));
  EXPECT_TRUE(mentions(result.problems, "the default (PORTICO_AFFINITY) applies"));
  EXPECT_TRUE(mentions(result.problems, kSessionCookieMaxAgeAnnotation));
  EXPECT_TRUE(mentions(result.problems, "the default (no Max-Age, a session cookie) applies"));
  EXPECT_TRUE(mentions(result.problems, kSessionCookiePathAnnotation));
  EXPECT_TRUE(mentions(result.problems, "the default (/) applies"));
}

TEST(AffinityAnnotationsTest, MaxAgeIsAWholeNumberOfSeconds) {
  for (const char* bad : {"-1", "1.5", "1h", "60s", "2147483648", "abc", ""}) {
    const Annotated<SessionAffinity> result = session_affinity_from(
        {{kAffinityAnnotation, "cookie"}, {kNginxSessionCookieMaxAgeAnnotation, bad}});
    EXPECT_EQ(result.value.max_age_seconds, std::nullopt) << bad;
    EXPECT_TRUE(mentions(result.problems, kNginxSessionCookieMaxAgeAnnotation)) << bad;
  }
  const Annotated<SessionAffinity> largest = session_affinity_from(
      {{kAffinityAnnotation, "cookie"}, {kSessionCookieMaxAgeAnnotation, "2147483647"}});
  EXPECT_EQ(largest.value.max_age_seconds, kMaxSessionCookieMaxAge);
}

// Affinity sits on top of the algorithm: each keeps its own settings whatever the other's
// annotations say.
TEST(AffinityAnnotationsTest, BalancingPolicyCarriesAffinityOnTopOfTheAlgorithm) {
  const proxy::BalancingPolicy defaults;
  const AnnotatedPolicy both = balancing_policy_from(
      {{kLoadBalanceAnnotation, "least-connections"}, {kAffinityAnnotation, "cookie"}}, defaults);
  EXPECT_EQ(both.policy.algorithm, proxy::Algorithm::kLeastConnections);
  EXPECT_EQ(both.policy.affinity, affinity());
  EXPECT_TRUE(both.problems.empty());

  const AnnotatedPolicy bad_algorithm = balancing_policy_from(
      {{kLoadBalanceAnnotation, "fastest"}, {kNginxAffinityAnnotation, "cookie"}}, defaults);
  EXPECT_EQ(bad_algorithm.policy.algorithm, defaults.algorithm);
  EXPECT_EQ(bad_algorithm.policy.affinity, affinity());
  EXPECT_TRUE(mentions(bad_algorithm.problems, "fastest"));

  const AnnotatedPolicy bad_affinity = balancing_policy_from(
      {{kLoadBalanceAnnotation, "random"}, {kAffinityAnnotation, "sticky"}}, defaults);
  EXPECT_EQ(bad_affinity.policy.algorithm, proxy::Algorithm::kRandom);
  EXPECT_FALSE(bad_affinity.policy.affinity.enabled);
  EXPECT_TRUE(mentions(bad_affinity.problems, "sticky"));
}

// Backends are shared by equal policies: Ingresses that differ only in affinity get two.
TEST(AffinityAnnotationsTest, AffinityMakesADifferentPolicy) {
  const proxy::BalancingPolicy defaults;
  EXPECT_NE(balancing_policy_from({{kAffinityAnnotation, "cookie"}}, defaults).policy, defaults);
  EXPECT_NE(balancing_policy_from(
                {{kAffinityAnnotation, "cookie"}, {kSessionCookieNameAnnotation, "a"}}, defaults)
                .policy,
            balancing_policy_from(
                {{kAffinityAnnotation, "cookie"}, {kSessionCookieNameAnnotation, "b"}}, defaults)
                .policy);
}

}  // namespace
}  // namespace portico::controller::annotations
