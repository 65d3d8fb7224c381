#include "proxy/router/route_table.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kNoMatch = "<no match>";

std::shared_ptr<const RouteTarget> target_named(std::string name) {
  auto target = std::make_shared<RouteTarget>();
  target->ingress = std::move(name);
  return target;
}

struct Rule {
  PathType type;
  std::string path;
};

std::string describe(const Rule& rule) {
  const char* kind = rule.type == PathType::kExact    ? "Exact "
                     : rule.type == PathType::kPrefix ? "Prefix "
                                                      : "Regex ";
  return kind + rule.path;
}

// Adds `rule` on `host` with a target named after the rule, e.g. "Prefix /foo".
void add(RouteTable::Builder& builder, std::string_view host, const Rule& rule) {
  std::string why;
  ASSERT_TRUE(builder.add(host, PathRule{rule.type, rule.path, target_named(describe(rule))}, &why))
      << why;
}

RouteTable table_of(std::string_view host, const std::vector<Rule>& rules) {
  RouteTable::Builder builder;
  for (const Rule& rule : rules) add(builder, host, rule);
  return std::move(builder).build();
}

std::string matched(const RouteTable& table, std::string_view host, std::string_view path) {
  const RouteTarget* target = table.match(host, path);
  return target != nullptr ? target->ingress : kNoMatch;
}

struct PathExample {
  std::vector<Rule> rules;
  std::vector<std::string> requests;
  std::string expected;  // the matching rule, or kNoMatch
};

// The "Examples" table of https://kubernetes.io/docs/concepts/services-networking/ingress/,
// row by row, plus the rows the Ingress rules imply about mixing Exact and Prefix.
const std::vector<PathExample>& kubernetes_path_examples() {
  static const auto* const examples = new std::vector<PathExample>{
      {{{PathType::kPrefix, "/"}},
       {"/", "/foo", "/foo/", "/aaa/bbb/ccc", "/aaa/bbbxyz", "//"},
       "Prefix /"},
      {{{PathType::kExact, "/foo"}}, {"/foo"}, "Exact /foo"},
      {{{PathType::kExact, "/foo"}}, {"/bar"}, kNoMatch},
      {{{PathType::kExact, "/foo"}}, {"/foo/"}, kNoMatch},
      {{{PathType::kExact, "/foo/"}}, {"/foo"}, kNoMatch},
      {{{PathType::kPrefix, "/foo"}}, {"/foo", "/foo/"}, "Prefix /foo"},
      {{{PathType::kPrefix, "/foo/"}}, {"/foo", "/foo/"}, "Prefix /foo/"},
      {{{PathType::kPrefix, "/aaa/bb"}}, {"/aaa/bbb"}, kNoMatch},
      {{{PathType::kPrefix, "/aaa/bbb"}}, {"/aaa/bbb"}, "Prefix /aaa/bbb"},
      {{{PathType::kPrefix, "/aaa/bbb/"}}, {"/aaa/bbb"}, "Prefix /aaa/bbb/"},
      {{{PathType::kPrefix, "/aaa/bbb"}}, {"/aaa/bbb/"}, "Prefix /aaa/bbb"},
      {{{PathType::kPrefix, "/aaa/bbb"}}, {"/aaa/bbb/ccc"}, "Prefix /aaa/bbb"},
      {{{PathType::kPrefix, "/aaa/bbb"}}, {"/aaa/bbbxyz"}, kNoMatch},
      {{{PathType::kPrefix, "/"}, {PathType::kPrefix, "/aaa"}}, {"/aaa/ccc"}, "Prefix /aaa"},
      {{{PathType::kPrefix, "/"}, {PathType::kPrefix, "/aaa"}, {PathType::kPrefix, "/aaa/bbb"}},
       {"/aaa/bbb"},
       "Prefix /aaa/bbb"},
      {{{PathType::kPrefix, "/"}, {PathType::kPrefix, "/aaa"}, {PathType::kPrefix, "/aaa/bbb"}},
       {"/ccc"},
       "Prefix /"},
      {{{PathType::kPrefix, "/aaa"}}, {"/ccc"}, kNoMatch},
      {{{PathType::kPrefix, "/foo"}, {PathType::kExact, "/foo"}}, {"/foo"}, "Exact /foo"},
      // Implied rows: Exact wins in either insertion order; Prefix still serves the rest.
      {{{PathType::kExact, "/foo"}, {PathType::kPrefix, "/foo"}}, {"/foo"}, "Exact /foo"},
      {{{PathType::kExact, "/foo"}, {PathType::kPrefix, "/foo"}},
       {"/foo/", "/foo/bar"},
       "Prefix /foo"},
      {{{PathType::kExact, "/foo"}, {PathType::kPrefix, "/"}}, {"/foo"}, "Exact /foo"},
      {{{PathType::kExact, "/foo"}, {PathType::kPrefix, "/"}}, {"/foo/", "/bar"}, "Prefix /"},
  };
  return *examples;
}

// Each example is run with its rules on every kind of host, reached by a request host of
// that kind, so the path table behaves the same wherever it hangs.
TEST(RouteTableTest, KubernetesPathExamplesOnEveryKindOfHost) {
  struct HostCase {
    std::string rule_host;
    std::string request_host;
  };
  const std::vector<HostCase> hosts = {
      {"", "anything.example"}, {"foo.com", "foo.com"}, {"*.foo.com", "bar.foo.com"}};
  for (const HostCase& host : hosts) {
    for (const PathExample& example : kubernetes_path_examples()) {
      const RouteTable table = table_of(host.rule_host, example.rules);
      for (const std::string& request : example.requests) {
        SCOPED_TRACE("rule host \"" + host.rule_host + "\", first rule " +
                     describe(example.rules.front()) + ", request " + request);
        EXPECT_EQ(matched(table, host.request_host, request), example.expected);
      }
    }
  }
}

TEST(RouteTableTest, WildcardCoversExactlyOneLabel) {
  const RouteTable table = table_of("*.foo.com", {{PathType::kPrefix, "/"}});
  EXPECT_EQ(matched(table, "bar.foo.com", "/"), "Prefix /");
  EXPECT_EQ(matched(table, "baz.bar.foo.com", "/"), kNoMatch);
  EXPECT_EQ(matched(table, "foo.com", "/"), kNoMatch);
  EXPECT_EQ(matched(table, ".foo.com", "/"), kNoMatch);
  EXPECT_EQ(matched(table, "barfoo.com", "/"), kNoMatch);
}

TEST(RouteTableTest, RequestHostIgnoresCasePortAndTrailingDot) {
  const RouteTable table = table_of("foo.com", {{PathType::kPrefix, "/"}});
  for (const char* host : {"foo.com", "FOO.COM", "Foo.Com:8080", "foo.com.", "FOO.com.:443"}) {
    EXPECT_EQ(matched(table, host, "/x"), "Prefix /") << host;
  }
  for (const char* host : {"foo.co", "foo.com..", "xfoo.com", "foo.com.evil", ""}) {
    EXPECT_EQ(matched(table, host, "/x"), kNoMatch) << host;
  }
}

TEST(RouteTableTest, RuleHostIsCaseInsensitive) {
  const RouteTable table = table_of("FOO.Example.COM", {{PathType::kPrefix, "/"}});
  EXPECT_EQ(matched(table, "foo.example.com", "/"), "Prefix /");
  const RouteTable wildcard = table_of("*.Example.COM", {{PathType::kPrefix, "/"}});
  EXPECT_EQ(matched(wildcard, "Foo.example.com", "/"), "Prefix /");
}

TEST(RouteTableTest, AddressLiteralsReachOnlyTheRulesWithoutAHost) {
  RouteTable::Builder builder;
  add(builder, "foo.com", {PathType::kPrefix, "/named"});
  add(builder, "", {PathType::kPrefix, "/"});
  const RouteTable table = std::move(builder).build();
  for (const char* host : {"[::1]:8080", "[::1]", "10.0.0.1:80", "10.0.0.1"}) {
    EXPECT_EQ(matched(table, host, "/named"), "Prefix /") << host;
  }
}

TEST(RouteTableTest, HostsUpToTheDnsLimitMatchAndLongerOnesReachOnlyAnyHost) {
  const std::string label63(63, 'a');
  const std::string longest = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(longest.size(), 253u);
  RouteTable::Builder builder;
  add(builder, longest, {PathType::kPrefix, "/long"});
  add(builder, "*.com", {PathType::kPrefix, "/wild"});
  add(builder, "", {PathType::kPrefix, "/"});
  const RouteTable table = std::move(builder).build();
  EXPECT_EQ(matched(table, longest + ".:8080", "/long"), "Prefix /long");
  EXPECT_EQ(matched(table, label63 + ".com", "/wild"), "Prefix /wild");
  // One label under *.com, but no DNS name is that long.
  EXPECT_EQ(matched(table, std::string(300, 'a') + ".com", "/wild"), "Prefix /");
}

TEST(RouteTableTest, ExactHostBeatsWildcardBeatsAnyHost) {
  RouteTable::Builder builder;
  add(builder, "a.foo.com", {PathType::kPrefix, "/"});
  add(builder, "*.foo.com", {PathType::kPrefix, "/api"});
  add(builder, "", {PathType::kPrefix, "/api/v1"});
  const RouteTable table = std::move(builder).build();
  // The exact host's "/" wins even though the other tables hold longer prefixes.
  EXPECT_EQ(matched(table, "a.foo.com", "/api/v1/x"), "Prefix /");
  EXPECT_EQ(matched(table, "b.foo.com", "/api/v1/x"), "Prefix /api");
  EXPECT_EQ(matched(table, "b.bar.com", "/api/v1/x"), "Prefix /api/v1");
  EXPECT_EQ(table.host_count(), 2u);
}

TEST(RouteTableTest, HostsFallThroughWhenNoPathMatches) {
  RouteTable::Builder builder;
  add(builder, "a.foo.com", {PathType::kPrefix, "/api"});
  add(builder, "*.foo.com", {PathType::kPrefix, "/web"});
  add(builder, "", {PathType::kPrefix, "/static"});
  const RouteTable table = std::move(builder).build();
  EXPECT_EQ(matched(table, "a.foo.com", "/api/x"), "Prefix /api");
  EXPECT_EQ(matched(table, "a.foo.com", "/web/x"), "Prefix /web");
  EXPECT_EQ(matched(table, "a.foo.com", "/static/x"), "Prefix /static");
  EXPECT_EQ(matched(table, "b.foo.com", "/api/x"), kNoMatch);
  EXPECT_EQ(matched(table, "a.foo.com", "/other"), kNoMatch);
}

TEST(RouteTableTest, DuplicateRuleIsRefusedAndTheFirstWins) {
  RouteTable::Builder builder;
  std::string why;
  ASSERT_TRUE(builder.add("foo.com", {PathType::kPrefix, "/foo", target_named("first")}, &why));
  // "/foo/" normalises to the same prefix; the host differs only in case.
  EXPECT_FALSE(builder.add("FOO.com", {PathType::kPrefix, "/foo/", target_named("second")}, &why));
  EXPECT_THAT(why, HasSubstr("already taken"));
  ASSERT_TRUE(builder.add("foo.com", {PathType::kExact, "/foo", target_named("exact")}, &why));
  why.clear();
  EXPECT_FALSE(builder.add("foo.com", {PathType::kExact, "/foo", target_named("exact2")}, &why));
  EXPECT_THAT(why, Not(IsEmpty()));
  ASSERT_TRUE(builder.add("", {PathType::kPrefix, "/", target_named("any")}, &why));
  EXPECT_FALSE(builder.add("", {PathType::kPrefix, "///", target_named("any2")}, &why));
  ASSERT_TRUE(builder.add("bar.com", {PathType::kPrefix, "/foo", target_named("bar")}, &why));
  ASSERT_TRUE(builder.add("*.foo.com", {PathType::kPrefix, "/foo", target_named("wild")}, &why));
  EXPECT_FALSE(builder.add("*.foo.com", {PathType::kPrefix, "/foo", target_named("w2")}, &why));

  const RouteTable table = std::move(builder).build();
  EXPECT_EQ(matched(table, "foo.com", "/foo/x"), "first");
  EXPECT_EQ(matched(table, "foo.com", "/foo"), "exact");
  EXPECT_EQ(matched(table, "x.com", "/y"), "any");
  EXPECT_EQ(matched(table, "bar.com", "/foo"), "bar");
  EXPECT_EQ(matched(table, "x.foo.com", "/foo"), "wild");
}

TEST(RouteTableTest, InvalidHostsAreRefused) {
  const std::string label63(63, 'a');
  const std::string too_long = label63 + "." + label63 + "." + label63 + "." + label63;  // 255
  for (const std::string& host :
       {std::string("foo.com:80"), std::string("foo.com/x"), std::string("*"), std::string("*."),
        std::string("foo.*.com"), std::string("**.foo.com"), std::string("*foo.com"),
        std::string("foo..com"), std::string(".foo.com"), std::string("foo.com."),
        std::string("-foo.com"), std::string("foo-.com"), std::string("foo_bar.com"),
        std::string("[::1]"), std::string("fo o.com"), std::string(64, 'a') + ".com", too_long}) {
    RouteTable::Builder builder;
    std::string why;
    EXPECT_FALSE(builder.add(host, {PathType::kPrefix, "/", target_named("x")}, &why)) << host;
    EXPECT_THAT(why, HasSubstr("host")) << host;
    EXPECT_EQ(std::move(builder).build().host_count(), 0u) << host;
  }
}

TEST(RouteTableTest, ValidHostsAreAccepted) {
  const std::string label63(63, 'a');
  for (const std::string& host :
       {std::string("foo.com"), std::string("*.foo.com"), std::string("a-b.c0m"),
        std::string("localhost"), std::string("*.com"), label63 + ".com"}) {
    RouteTable::Builder builder;
    std::string why;
    EXPECT_TRUE(builder.add(host, {PathType::kPrefix, "/", target_named("x")}, &why))
        << host << ": " << why;
  }
}

TEST(RouteTableTest, PathsMustStartWithSlash) {
  RouteTable::Builder builder;
  std::string why;
  EXPECT_FALSE(builder.add("foo.com", {PathType::kExact, "foo", target_named("x")}, &why));
  EXPECT_THAT(why, HasSubstr("'/'"));
  EXPECT_FALSE(builder.add("foo.com", {PathType::kPrefix, "", target_named("x")}, &why));
  EXPECT_FALSE(builder.add("foo.com", {PathType::kPrefix, "foo/", target_named("x")}, &why));
  // A refused rule leaves no empty host behind.
  EXPECT_EQ(std::move(builder).build().host_count(), 0u);
}

TEST(RouteTableTest, RuleWithoutTargetClaimsItsPathWithoutBackend) {
  RouteTable::Builder builder;
  std::string why;
  ASSERT_TRUE(builder.add("foo.com", {PathType::kPrefix, "/missing", nullptr}, &why)) << why;
  add(builder, "", {PathType::kPrefix, "/"});
  const RouteTable table = std::move(builder).build();
  const RouteTarget* target = table.match("foo.com", "/missing/x");
  ASSERT_NE(target, nullptr);
  EXPECT_NE(target, table.match("other.com", "/missing/x"));  // no fall-through to any host
  EXPECT_EQ(target->backend, nullptr);
  EXPECT_EQ(matched(table, "foo.com", "/other"), "Prefix /");
}

TEST(RouteTableTest, RegexIsAnchoredAtTheStartOnly) {
  const RouteTable table = table_of("foo.com", {{PathType::kRegex, "/api/v[0-9]+"}});
  EXPECT_EQ(matched(table, "foo.com", "/api/v1"), "Regex /api/v[0-9]+");
  EXPECT_EQ(matched(table, "foo.com", "/api/v12/users"), "Regex /api/v[0-9]+");
  EXPECT_EQ(matched(table, "foo.com", "/x/api/v1"), kNoMatch);
  EXPECT_EQ(matched(table, "foo.com", "/api/vx"), kNoMatch);
  EXPECT_EQ(matched(table, "bar.com", "/api/v1"), kNoMatch);
}

TEST(RouteTableTest, ExactBeatsAnyRegex) {
  const RouteTable table =
      table_of("", {{PathType::kRegex, "/api/v[0-9]+/?.*"}, {PathType::kExact, "/api/v1"}});
  EXPECT_EQ(matched(table, "h", "/api/v1"), "Exact /api/v1");
  EXPECT_EQ(matched(table, "h", "/api/v2"), "Regex /api/v[0-9]+/?.*");
}

TEST(RouteTableTest, LongerOfPrefixAndRegexWins) {
  const RouteTable table = table_of("", {{PathType::kRegex, "/api/.*"},
                                         {PathType::kPrefix, "/api/v1/users"},
                                         {PathType::kRegex, "/api/v[0-9]+/users/[0-9]+"}});
  // The 25-character regex outranks the 13-character prefix when it matches ...
  EXPECT_EQ(matched(table, "h", "/api/v1/users/5"), "Regex /api/v[0-9]+/users/[0-9]+");
  // ... and when it does not, the prefix outranks the 7-character regex.
  EXPECT_EQ(matched(table, "h", "/api/v1/users/x"), "Prefix /api/v1/users");
  // Without a prefix match any matching regex serves.
  EXPECT_EQ(matched(table, "h", "/api/other"), "Regex /api/.*");
}

TEST(RouteTableTest, PrefixCompetesWithItsLengthAsWrittenAndWinsTies) {
  // "/foo/" counts 5, like the regex: the regex would need to be longer to win.
  const RouteTable as_written =
      table_of("", {{PathType::kRegex, "/fo+."}, {PathType::kPrefix, "/foo/"}});
  EXPECT_EQ(matched(as_written, "h", "/foo/x"), "Prefix /foo/");
  const RouteTable shorter =
      table_of("", {{PathType::kRegex, "/fo+."}, {PathType::kPrefix, "/foo"}});
  EXPECT_EQ(matched(shorter, "h", "/foo/x"), "Regex /fo+.");
}

TEST(RouteTableTest, LongestRegexIsTriedFirst) {
  const RouteTable table = table_of("", {{PathType::kRegex, "/a.*"}, {PathType::kRegex, "/a/b.*"}});
  EXPECT_EQ(matched(table, "h", "/a/bc"), "Regex /a/b.*");
  EXPECT_EQ(matched(table, "h", "/a/c"), "Regex /a.*");
}

TEST(RouteTableTest, InvalidAndDuplicateRegexAreRefused) {
  RouteTable::Builder builder;
  std::string why;
  EXPECT_FALSE(builder.add("foo.com", {PathType::kRegex, "/(", target_named("x")}, &why));
  re2::RE2::Options quiet;
  quiet.set_log_errors(false);
  const re2::RE2 reference("/(", quiet);
  ASSERT_FALSE(reference.ok());
  EXPECT_THAT(why, HasSubstr(reference.error()));
  EXPECT_EQ(std::move(builder).build().host_count(), 0u);

  RouteTable::Builder duplicates;
  ASSERT_TRUE(duplicates.add("", {PathType::kRegex, "/a+", target_named("first")}, &why));
  EXPECT_FALSE(duplicates.add("", {PathType::kRegex, "/a+", target_named("second")}, &why));
  EXPECT_EQ(matched(std::move(duplicates).build(), "h", "/aa"), "first");
}

TEST(RouteTableTest, TenThousandHostsStillMatchCorrectly) {
  constexpr int kHosts = 10000;
  RouteTable::Builder builder;
  std::string why;
  auto host = [](int i) {
    return "svc-" + std::to_string(i) + ".team-" + std::to_string(i % 97) + ".example.com";
  };
  for (int i = 0; i < kHosts; ++i) {
    ASSERT_TRUE(builder.add(
        host(i), {PathType::kPrefix, "/", target_named("root-" + std::to_string(i))}, &why))
        << why;
    ASSERT_TRUE(builder.add(
        host(i), {PathType::kExact, "/health", target_named("health-" + std::to_string(i))}, &why))
        << why;
    if (i % 10 == 0) {
      ASSERT_TRUE(builder.add("*.w" + std::to_string(i) + ".example.com",
                              {PathType::kPrefix, "/", target_named("wild-" + std::to_string(i))},
                              &why))
          << why;
    }
  }
  const RouteTable table = std::move(builder).build();
  EXPECT_EQ(table.host_count(), static_cast<std::size_t>(kHosts + kHosts / 10));
  for (int i = 0; i < kHosts; ++i) {
    const std::string name = host(i);
    ASSERT_EQ(matched(table, name, "/health"), "health-" + std::to_string(i));
    ASSERT_EQ(matched(table, name + ":443", "/health/x"), "root-" + std::to_string(i));
    if (i % 10 == 0) {
      ASSERT_EQ(matched(table, "x.w" + std::to_string(i) + ".example.com", "/a"),
                "wild-" + std::to_string(i));
    }
  }
  EXPECT_EQ(matched(table, "svc-10000.team-9.example.com", "/"), kNoMatch);
  EXPECT_EQ(matched(table, "x.w1.example.com", "/"), kNoMatch);
}

}  // namespace
}  // namespace portico::proxy
