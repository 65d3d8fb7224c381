#include "controller/annotations/nginx_proxy_next_upstream.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(NginxProxyNextUpstreamTriesTest, TriesBecomeRetries) {
  for (uint32_t tries = 1; tries <= 10; ++tries) {
    const Parsed<uint32_t> parsed = parse_nginx_proxy_next_upstream_tries(
        {{kNginxProxyNextUpstreamTriesAnnotation, std::to_string(tries)}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << tries;
    EXPECT_EQ(parsed.value, tries - 1);
  }
  EXPECT_EQ(parse_nginx_proxy_next_upstream_tries({}).outcome, Outcome::kAbsent);
}

TEST(NginxProxyNextUpstreamTriesTest, UnboundedOrUnmappableIsIgnored) {
  for (const char* bad : {"0", "11", "-1", "", "three", "2.0", "3 4"}) {
    const Parsed<uint32_t> parsed =
        parse_nginx_proxy_next_upstream_tries({{kNginxProxyNextUpstreamTriesAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kIgnored) << bad;
    EXPECT_NE(parsed.problem.find(kNginxProxyNextUpstreamTriesAnnotation), std::string::npos);
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
  // Surrounding whitespace is trimmed, as for every annotation.
  EXPECT_EQ(
      parse_nginx_proxy_next_upstream_tries({{kNginxProxyNextUpstreamTriesAnnotation, "3 "}}).value,
      2u);
}

TEST(NginxProxyNextUpstreamTest, ConditionsMap) {
  const struct {
    const char* text;
    bool off;
    RetryConditions conditions;
  } cases[] = {
      {"error", false, {true, true, {}}},
      {"http_502", false, {false, false, {502}}},
      {"error http_504 http_502 http_503 http_500", false, {true, true, {500, 502, 503, 504}}},
      {"  error\thttp_503  ", false, {true, true, {503}}},
      {"off", true, {}},
  };
  for (const auto& test : cases) {
    const Parsed<NginxNextUpstream> parsed =
        parse_nginx_proxy_next_upstream({{kNginxProxyNextUpstreamAnnotation, test.text}});
    EXPECT_EQ(parsed.outcome, Outcome::kValue) << test.text;
    EXPECT_EQ(parsed.value.off, test.off) << test.text;
    EXPECT_EQ(parsed.value.conditions, test.conditions) << test.text;
    EXPECT_EQ(parsed.value.note, "") << test.text;
  }
  EXPECT_EQ(parse_nginx_proxy_next_upstream({}).outcome, Outcome::kAbsent);
}

TEST(NginxProxyNextUpstreamTest, UnmappedConditionsAreNotedAndTheRestApplies) {
  const Parsed<NginxNextUpstream> parsed = parse_nginx_proxy_next_upstream(
      {{kNginxProxyNextUpstreamAnnotation, "error timeout http_404 non_idempotent http_503"}});
  ASSERT_EQ(parsed.outcome, Outcome::kValue);
  EXPECT_EQ(parsed.value.conditions, (RetryConditions{true, true, {503}}));
  EXPECT_NE(parsed.value.note.find(kNginxProxyNextUpstreamAnnotation), std::string::npos);
  EXPECT_NE(parsed.value.note.find("not mapped: timeout http_404 non_idempotent"),
            std::string::npos)
      << parsed.value.note;
}

TEST(NginxProxyNextUpstreamTest, NothingMappedOrUnknownWordsAreIgnored) {
  for (const char* bad : {"timeout", "timeout invalid_header", "", "error bogus", "ERROR",
                          "error,timeout", "http_418"}) {
    const Parsed<NginxNextUpstream> parsed =
        parse_nginx_proxy_next_upstream({{kNginxProxyNextUpstreamAnnotation, bad}});
    EXPECT_EQ(parsed.outcome, Outcome::kIgnored) << bad;
    EXPECT_NE(parsed.problem.find(kNginxProxyNextUpstreamAnnotation), std::string::npos);
    EXPECT_NE(parsed.problem.find(quote_value(bad)), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
