#include "controller/annotations/retry_annotations.h"

#include <string>

#include <gtest/gtest.h>

#include "controller/annotations/nginx_proxy_next_upstream.h"
#include "controller/annotations/retry_on.h"

namespace portico::controller::annotations {
namespace {

using proxy::RetryPolicy;
using std::chrono::milliseconds;

constexpr char kTries[] = "nginx.ingress.kubernetes.io/proxy-next-upstream-tries";
constexpr char kNextUpstream[] = "nginx.ingress.kubernetes.io/proxy-next-upstream";

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const std::string& problem : problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

const RetryPolicy kDefaults{};
const RetryConditions kDefaultConditions{kDefaults.on_connect_failure, kDefaults.on_reset,
                                         kDefaults.on_statuses};

// The defaults, with the fields a case sets.
RetryPolicy retry(uint32_t retries, const RetryConditions& conditions = kDefaultConditions,
                  milliseconds per_try = kDefaults.per_try_timeout,
                  uint32_t budget = kDefaults.budget_percent) {
  RetryPolicy policy;
  policy.retries = retries;
  policy.on_connect_failure = conditions.connect_failure;
  policy.on_reset = conditions.reset;
  policy.on_statuses = conditions.statuses;
  policy.per_try_timeout = per_try;
  policy.budget_percent = budget;
  return policy;
}

TEST(RetryAnnotationsTest, ChoosesThePolicy) {
  const struct {
    const char* name;
    Annotations annotations;
    RetryPolicy expected;
  } cases[] = {
      {"nothing set", {}, kDefaults},
      {"everything",
       {{kRetriesAnnotation, "3"},
        {kRetryOnAnnotation, "connect-failure, 503"},
        {kPerTryTimeoutAnnotation, "2s"},
        {kRetryBudgetAnnotation, "10"}},
       retry(3, {true, false, {503}}, milliseconds(2'000), 10)},
      {"bounds",
       {{kRetriesAnnotation, "10"}, {kRetryBudgetAnnotation, "100"}},
       retry(10, kDefaultConditions, kDefaults.per_try_timeout, 100)},
      {"nginx tries", {{kTries, "4"}}, retry(3)},
      {"nginx conditions",
       {{kNextUpstream, "error http_502"}},
       retry(kDefaults.retries, {true, true, {502}})},
      {"nginx statuses only",
       {{kNextUpstream, "http_503 http_504"}},
       retry(kDefaults.retries, {false, false, {503, 504}})},
      {"nginx off", {{kNextUpstream, "off"}, {kTries, "5"}}, retry(0)},
      {"portico count over nginx tries", {{kRetriesAnnotation, "1"}, {kTries, "5"}}, retry(1)},
      {"portico count over nginx off",
       {{kRetriesAnnotation, "4"}, {kNextUpstream, "off"}},
       retry(4)},
      {"portico conditions over nginx's",
       {{kRetryOnAnnotation, "reset"}, {kNextUpstream, "http_502"}, {kTries, "3"}},
       retry(2, {false, true, {}})},
      {"portico and nginx mixed",
       {{kRetriesAnnotation, "5"}, {kNextUpstream, "http_504"}},
       retry(5, {false, false, {504}})},
  };
  for (const auto& test : cases) {
    const Annotated<RetryPolicy> result = retry_policy_from(test.annotations);
    EXPECT_EQ(result.value, test.expected) << test.name;
    EXPECT_TRUE(result.problems.empty()) << test.name << ": " << result.problems.front();
  }
}

TEST(RetryAnnotationsTest, ZeroRetriesLeaveTheUnusedFieldsAtTheirDefaults) {
  const Annotated<RetryPolicy> result = retry_policy_from({{kRetriesAnnotation, "0"},
                                                           {kRetryOnAnnotation, "503"},
                                                           {kRetryBudgetAnnotation, "5"},
                                                           {kPerTryTimeoutAnnotation, "1s"}});
  // The per-try timeout still bounds the one attempt.
  EXPECT_EQ(result.value, retry(0, kDefaultConditions, milliseconds(1'000)));
  EXPECT_EQ(retry_policy_from({{kNextUpstream, "off"}}).value,
            retry_policy_from({{kRetriesAnnotation, "0"}, {kRetryOnAnnotation, "reset"}}).value);
}

TEST(RetryAnnotationsTest, AnInvalidValueKeepsThatSettingsDefaultOnly) {
  const std::string kDefaultRetries = "(" + std::to_string(kDefaults.retries) + ")";
  const std::string kConditionsText = "(" + retry_conditions_text(kDefaultConditions) + ")";
  const std::string kDefaultBudget = "(" + std::to_string(kDefaults.budget_percent) + "%)";
  const struct {
    const char* annotation;
    const char* value;
    std::string kept;
  } cases[] = {
      {kRetriesAnnotation, "11", kDefaultRetries},
      {kRetriesAnnotation, "-1", kDefaultRetries},
      {kRetryOnAnnotation, "404", kConditionsText},
      {kRetryOnAnnotation, "", kConditionsText},
      {kPerTryTimeoutAnnotation, "5ms", "(the upstream timeout)"},
      {kPerTryTimeoutAnnotation, "2", "(the upstream timeout)"},
      {kRetryBudgetAnnotation, "101", kDefaultBudget},
  };
  for (const auto& test : cases) {
    Annotations annotations = {{kRetriesAnnotation, "4"},
                               {kRetryOnAnnotation, "502"},
                               {kPerTryTimeoutAnnotation, "3s"},
                               {kRetryBudgetAnnotation, "30"},
                               // Hidden by the Portico annotations, invalid or not.
                               {kTries, "9"},
                               {kNextUpstream, "off"}};
    annotations[test.annotation] = test.value;
    const Annotated<RetryPolicy> result = retry_policy_from(annotations);
    ASSERT_EQ(result.problems.size(), 1u) << test.annotation << " " << test.value;
    EXPECT_TRUE(mentions(result.problems, test.annotation)) << result.problems[0];
    EXPECT_TRUE(mentions(result.problems, quote_value(test.value))) << result.problems[0];
    EXPECT_TRUE(mentions(result.problems, test.kept)) << result.problems[0];
    const std::string name = test.annotation;
    EXPECT_EQ(result.value, retry(name == kRetriesAnnotation ? kDefaults.retries : 4,
                                  name == kRetryOnAnnotation ? kDefaultConditions
                                                             : RetryConditions{false, false, {502}},
                                  name == kPerTryTimeoutAnnotation ? kDefaults.per_try_timeout
                                                                   : milliseconds(3'000),
                                  name == kRetryBudgetAnnotation ? kDefaults.budget_percent : 30))
        << test.annotation << " " << test.value;
  }
}

TEST(RetryAnnotationsTest, NginxValuesPorticoCannotMapAreIgnoredOrNoted) {
  const Annotated<RetryPolicy> ignored =
      retry_policy_from({{kTries, "0"}, {kNextUpstream, "timeout"}});
  EXPECT_EQ(ignored.value, kDefaults);
  ASSERT_EQ(ignored.problems.size(), 2u);
  EXPECT_TRUE(mentions(ignored.problems, "\"0\""));
  EXPECT_TRUE(mentions(ignored.problems, "\"timeout\""));
  EXPECT_TRUE(mentions(ignored.problems, "ignored"));

  const Annotated<RetryPolicy> noted =
      retry_policy_from({{kTries, "2"}, {kNextUpstream, "error timeout"}});
  EXPECT_EQ(noted.value, retry(1));
  ASSERT_EQ(noted.problems.size(), 1u);
  EXPECT_TRUE(mentions(noted.problems, "not mapped: timeout")) << noted.problems[0];
}

TEST(RetryAnnotationsTest, HiddenNginxAnnotationsAreNotReported) {
  const Annotated<RetryPolicy> result = retry_policy_from({{kRetriesAnnotation, "1"},
                                                           {kRetryOnAnnotation, "reset"},
                                                           {kTries, "0"},
                                                           {kNextUpstream, "bogus"}});
  EXPECT_EQ(result.value, retry(1, {false, true, {}}));
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
}

}  // namespace
}  // namespace portico::controller::annotations
