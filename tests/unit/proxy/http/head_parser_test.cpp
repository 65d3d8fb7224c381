#include "proxy/http/head_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace portico::proxy::http {
namespace {

using namespace std::string_literals;

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

ParseResult parse(std::string_view data, RequestHead& head, const HeadLimits& limits = {}) {
  return parse_request_head(data, limits, head);
}

// Each vector is a small change to a valid head; the parser must refuse it with `status`,
// for the reason in `detail`.
struct Refused {
  const char* name;
  std::string head;
  uint16_t status;
  std::string_view detail;  // pins the vector to the check meant to refuse it
};

std::string post_with(std::string_view fields) {
  return "POST / HTTP/1.1\r\nHost: a\r\n" + std::string(fields) + "\r\n";
}

std::string numbered_fields(int count) {
  std::string fields;
  for (int i = 0; i < count; ++i) fields += "X-F" + std::to_string(i) + ": v\r\n";
  return fields;
}

const Refused kRefused[] = {
    // Framing conflicts: the classic smuggling vectors.
    {"cl_then_te", post_with("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400,
     "both Content-Length and Transfer-Encoding"},
    {"te_then_cl", post_with("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400,
     "both Content-Length and Transfer-Encoding"},
    {"cl_twice_equal", post_with("Content-Length: 5\r\nContent-Length: 5\r\n"), 400,
     "duplicate Content-Length"},
    {"cl_twice_case", post_with("Content-Length: 5\r\ncontent-length: 6\r\n"), 400,
     "duplicate Content-Length"},
    {"cl_list", post_with("Content-Length: 5, 5\r\n"), 400, "malformed Content-Length"},
    {"cl_plus_sign", post_with("Content-Length: +5\r\n"), 400, "malformed Content-Length"},
    {"cl_minus_sign", post_with("Content-Length: -1\r\n"), 400, "malformed Content-Length"},
    {"cl_inner_space", post_with("Content-Length:  5 5\r\n"), 400, "malformed Content-Length"},
    {"cl_hex", post_with("Content-Length: 0x5\r\n"), 400, "malformed Content-Length"},
    {"cl_empty", post_with("Content-Length: \r\n"), 400, "malformed Content-Length"},
    {"cl_two_to_the_63", post_with("Content-Length: 9223372036854775808\r\n"), 400,
     "malformed Content-Length"},
    {"cl_wraps_uint64", post_with("Content-Length: 18446744073709551621\r\n"), 400,
     "malformed Content-Length"},
    {"cl_huge", post_with("Content-Length: 99999999999999999999999999\r\n"), 400,
     "malformed Content-Length"},
    {"te_trailing_garbage", post_with("Transfer-Encoding: chunked x\r\n"), 400,
     "Transfer-Encoding other than chunked"},
    {"te_trailing_comma", post_with("Transfer-Encoding: chunked,\r\n"), 400,
     "Transfer-Encoding other than chunked"},
    {"te_prefixed", post_with("Transfer-Encoding: xchunked\r\n"), 400,
     "Transfer-Encoding other than chunked"},
    {"te_vertical_tab", post_with("Transfer-Encoding: chunked\v\r\n"), 400,
     "invalid character in a field value"},
    {"te_gzip_chunked", post_with("Transfer-Encoding: gzip, chunked\r\n"), 400,
     "Transfer-Encoding other than chunked"},
    {"te_chunked_chunked", post_with("Transfer-Encoding: chunked, chunked\r\n"), 400,
     "Transfer-Encoding other than chunked"},
    {"te_identity", post_with("Transfer-Encoding: identity\r\n"), 400,
     "Transfer-Encoding other than chunked"},
    {"te_twice", post_with("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400,
     "duplicate Transfer-Encoding"},
    {"te_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
     "Transfer-Encoding in HTTP/1.0"},
    {"te_space_before_colon", post_with("Transfer-Encoding : chunked\r\n"), 400,
     "whitespace before a field colon"},
    {"te_tab_before_colon", post_with("Transfer-Encoding\t: chunked\r\n"), 400,
     "whitespace before a field colon"},
    // Field syntax.
    {"obs_fold", post_with("X-A: b\r\n c\r\n"), 400, "obs-fold or whitespace before a field name"},
    {"obs_fold_tab", post_with("X-A: b\r\n\tc\r\n"), 400,
     "obs-fold or whitespace before a field name"},
    {"space_before_first_field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400,
     "obs-fold or whitespace before a field name"},
    {"empty_field_name", post_with(": x\r\n"), 400, "empty field name"},
    {"bad_char_in_name", post_with("X(A: b\r\n"), 400, "invalid character in a field name"},
    {"obs_text_in_name", post_with("X\xc3\xa9: b\r\n"), 400, "invalid character in a field name"},
    {"nul_in_name", post_with("X\0A: b\r\n"s), 400, "invalid character in a field name"},
    {"nul_in_value", post_with("X-A: b\0c\r\n"s), 400, "invalid character in a field value"},
    {"del_in_value", post_with("X-A: b\x7f\r\n"), 400, "invalid character in a field value"},
    {"ctl_in_value", post_with("X-A: b\x01\r\n"), 400, "invalid character in a field value"},
    {"bare_cr_in_value", post_with("X-A: b\rc\r\n"), 400, "bare CR"},
    {"bare_cr_ends_field", post_with("X-A: b\rX-B: c\r\n"), 400, "bare CR"},
    {"bare_lf_ends_field", post_with("X-A: b\n"), 400, "bare LF"},
    {"bare_lf_ends_head", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400, "bare LF"},
    {"bare_lf_everywhere", "GET / HTTP/1.1\nHost: a\n\n", 400, "bare LF"},
    {"bare_cr_ends_request_line", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400, "bare CR"},
    {"bare_cr_ends_head", "GET / HTTP/1.1\r\nHost: a\r\n\rX", 400, "bare CR"},
    // Host.
    {"missing_host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", 400, "missing Host"},
    {"two_hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, "duplicate Host"},
    {"host_inner_space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "malformed Host"},
    {"host_slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "malformed Host"},
    {"host_userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, "malformed Host"},
    {"host_two_ports", "GET / HTTP/1.1\r\nHost: a:80:90\r\n\r\n", 400, "malformed Host"},
    {"host_port_range", "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", 400, "malformed Host"},
    {"host_port_wraps", "GET / HTTP/1.1\r\nHost: a:4294967376\r\n\r\n", 400, "malformed Host"},
    {"host_port_alpha", "GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n", 400, "malformed Host"},
    {"host_only_port", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400, "malformed Host"},
    {"host_bad_ipv6", "GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", 400, "malformed Host"},
    {"host_unclosed_ipv6", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, "malformed Host"},
    {"host_obs_text", "GET / HTTP/1.1\r\nHost: \xc3\xa9\r\n\r\n", 400, "malformed Host"},
    // Request line.
    {"empty_method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed method"},
    {"bad_method_char", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed method"},
    {"two_spaces_before_target", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed request-target"},
    {"two_spaces_before_version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed HTTP version"},
    {"tab_separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed method"},
    {"no_version", "GET /\r\nHost: a\r\n\r\n", 400, "malformed request-target"},
    {"version_suffix", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400, "malformed HTTP version"},
    {"version_two_digits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, "malformed HTTP version"},
    {"version_lower_case", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, "malformed HTTP version"},
    {"version_no_minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400, "malformed HTTP version"},
    {"version_trailing_space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "malformed HTTP version"},
    {"target_fragment", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed request-target"},
    {"target_obs_text", "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed request-target"},
    {"target_nul", "GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n"s, 400, "malformed request-target"},
    {"target_relative", "GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed request-target"},
    {"target_asterisk_with_get", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed request-target"},
    {"target_other_scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed request-target"},
    {"target_empty_authority", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed request-target"},
    {"target_userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400,
     "malformed request-target"},
    {"leading_bare_lf", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed method"},
    // Versions and methods Portico does not serve.
    {"http20", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "unsupported HTTP version"},
    {"http12", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505, "unsupported HTTP version"},
    {"http09", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, "unsupported HTTP version"},
    {"connect", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501, "CONNECT is not supported"},
    // Limits (defaults: 16 KiB, 100 fields).
    {"head_too_large", post_with("X-Pad: " + std::string(16 * 1024, 'p') + "\r\n"), 431,
     "head larger than max_head_bytes"},
    {"too_many_fields", post_with(numbered_fields(100)), 431, "too many fields"},
};

class RefusedRequest : public testing::TestWithParam<Refused> {};

TEST_P(RefusedRequest, IsRefusedWithTheExpectedStatus) {
  RequestHead head;
  const ParseResult r = parse(GetParam().head, head);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, GetParam().status);
  EXPECT_EQ(r.error_detail, GetParam().detail);
}

INSTANTIATE_TEST_SUITE_P(Smuggling, RefusedRequest, testing::ValuesIn(kRefused),
                         [](const testing::TestParamInfo<Refused>& test) {
                           return std::string(test.param.name);
                         });

TEST(ParseRequestHead, AcceptsASimpleGetAndConsumesExactlyTheHead) {
  RequestHead head;
  const ParseResult r = parse(kGet, head);
  ASSERT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(r.consumed, kGet.size());
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.target, "/");
  EXPECT_EQ(head.path, "/");
  EXPECT_EQ(head.host, "a");
  EXPECT_EQ(head.version_minor, 1);
  ASSERT_EQ(head.headers.size(), 1u);
  EXPECT_EQ(head.headers[0].name, "Host");
  EXPECT_EQ(head.facts.framing, BodyFraming::kNone);
  EXPECT_FALSE(head.facts.connection_close);
}

TEST(ParseRequestHead, EveryStrictPrefixOfAValidHeadIsIncomplete) {
  const std::string full =
      "POST /p?q=1 HTTP/1.1\r\nHost: [::1]:8080\r\nContent-Length: 3\r\nX-A: \tv \r\n\r\n";
  RequestHead head;
  for (std::size_t n = 0; n < full.size(); ++n) {
    const ParseResult r = parse(std::string_view(full).substr(0, n), head);
    EXPECT_EQ(r.status, ParseStatus::kIncomplete) << "prefix of " << n << " bytes";
  }
  EXPECT_EQ(parse(full, head).status, ParseStatus::kComplete);
}

TEST(ParseRequestHead, PipelinedHeadsAreParsedOneAfterTheOther) {
  const std::string second = "HEAD /two HTTP/1.1\r\nHost: b\r\n\r\n";
  const std::string wire = std::string(kGet) + second;
  RequestHead head;
  const ParseResult first = parse(wire, head);
  ASSERT_EQ(first.status, ParseStatus::kComplete);
  EXPECT_EQ(first.consumed, kGet.size());
  EXPECT_EQ(head.host, "a");
  const ParseResult next = parse(std::string_view(wire).substr(first.consumed), head);
  ASSERT_EQ(next.status, ParseStatus::kComplete);
  EXPECT_EQ(next.consumed, second.size());
  EXPECT_EQ(head.method, "HEAD");
  EXPECT_EQ(head.path, "/two");
  EXPECT_EQ(head.host, "b");
  EXPECT_EQ(head.headers.size(), 1u);  // the first request's fields are gone
}

TEST(ParseRequestHead, SkipsEmptyLinesBeforeTheRequestLine) {
  const std::string wire = "\r\n\r\n" + std::string(kGet);
  RequestHead head;
  const ParseResult r = parse(wire, head);
  ASSERT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(r.consumed, wire.size());
  EXPECT_EQ(head.method, "GET");
}

TEST(ParseRequestHead, PathStopsAtTheQuery) {
  RequestHead head;
  ASSERT_EQ(parse("GET /a/b?c=d?e HTTP/1.1\r\nHost: a\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.target, "/a/b?c=d?e");
  EXPECT_EQ(head.path, "/a/b");
}

TEST(ParseRequestHead, AbsoluteFormAuthorityWinsOverHost) {
  RequestHead head;
  ASSERT_EQ(parse("GET http://Example.com:8080/p?q HTTP/1.1\r\nHost: other\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.host, "Example.com");
  EXPECT_EQ(head.path, "/p");
  ASSERT_EQ(parse("GET HTTPS://b HTTP/1.1\r\nHost: other\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.host, "b");
  EXPECT_EQ(head.path, "/");
  ASSERT_EQ(parse("GET http://c?x=1 HTTP/1.1\r\nHost: c\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.host, "c");
  EXPECT_EQ(head.path, "/");
}

TEST(ParseRequestHead, AsteriskFormOnlyForOptions) {
  RequestHead head;
  ASSERT_EQ(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.target, "*");
  EXPECT_EQ(head.path, "*");
}

TEST(ParseRequestHead, HostKeepsIpv6BracketsAndDropsThePort) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: [2001:db8::1]:8443\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.host, "[2001:db8::1]");
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: Api.Example.COM:80\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.host, "Api.Example.COM");
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: \r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.host, "");
}

TEST(ParseRequestHead, Http10NeedsNoHostAndClosesUnlessKeepAlive) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.version_minor, 0);
  EXPECT_TRUE(head.facts.connection_close);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_TRUE(head.facts.connection_keep_alive);
  EXPECT_FALSE(head.facts.connection_close);
}

TEST(ParseRequestHead, ConnectionTokensFromEveryConnectionField) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive , X-Hop\r\n"
                  "Upgrade: websocket\r\nconnection: UPGRADE\r\nConnection: close\r\n\r\n",
                  head)
                .status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.facts.connection, "keep-alive , X-Hop");
  EXPECT_TRUE(head.facts.connection_keep_alive);
  EXPECT_TRUE(head.facts.connection_upgrade);
  EXPECT_TRUE(head.facts.connection_close);
  EXPECT_EQ(head.facts.upgrade, "websocket");
}

TEST(ParseRequestHead, ExpectContinueIsCaseInsensitive) {
  RequestHead head;
  ASSERT_EQ(parse(post_with("Expect: 100-Continue\r\nContent-Length: 1\r\n"), head).status,
            ParseStatus::kComplete);
  EXPECT_TRUE(head.facts.expect_continue);
  ASSERT_EQ(parse(post_with("Expect: something\r\n"), head).status, ParseStatus::kComplete);
  EXPECT_FALSE(head.facts.expect_continue);
}

TEST(ParseRequestHead, BodyFraming) {
  RequestHead head;
  ASSERT_EQ(parse(post_with("Content-Length: 42\r\n"), head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.facts.framing, BodyFraming::kContentLength);
  EXPECT_EQ(head.facts.content_length, 42u);
  ASSERT_EQ(parse(post_with("Content-Length: 0\r\n"), head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.facts.framing, BodyFraming::kNone);
  ASSERT_EQ(parse(post_with("Content-Length: 9223372036854775807\r\n"), head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.facts.content_length, 9223372036854775807u);
  ASSERT_EQ(parse(post_with("Transfer-Encoding: Chunked\r\n"), head).status,
            ParseStatus::kComplete);
  EXPECT_EQ(head.facts.framing, BodyFraming::kChunked);
}

TEST(ParseRequestHead, ValuesAreTrimmedAndMayCarryObsText) {
  RequestHead head;
  const std::string wire = post_with("X-A: \t v  w \t\r\nX-B:\xc3\xa9\r\nX-C:\r\n");
  ASSERT_EQ(parse(wire, head).status, ParseStatus::kComplete);
  ASSERT_EQ(head.headers.size(), 4u);
  EXPECT_EQ(head.headers[1].value, "v  w");
  EXPECT_EQ(head.headers[2].value, "\xc3\xa9");
  EXPECT_EQ(head.headers[3].value, "");
}

TEST(ParseRequestHead, FirstRequestIdAndForwardedForAreKept) {
  RequestHead head;
  const std::string wire = post_with(
      "X-Request-ID: r1\r\nX-Forwarded-For: 1.1.1.1\r\nx-forwarded-for: 2.2.2.2\r\n"
      "X-Request-Id: r2\r\n");
  ASSERT_EQ(parse(wire, head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.x_request_id, "r1");
  EXPECT_EQ(head.x_forwarded_for, "1.1.1.1");
  EXPECT_EQ(head.headers.size(), 5u);  // duplicates stay for forwarding to merge
}

TEST(ParseRequestHead, ReusesTheHeaderVector) {
  RequestHead head;
  ASSERT_EQ(parse(post_with("X-A: 1\r\nX-B: 2\r\nX-C: 3\r\n"), head).status,
            ParseStatus::kComplete);
  const std::size_t capacity = head.headers.capacity();
  ASSERT_EQ(parse(kGet, head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.headers.size(), 1u);
  EXPECT_EQ(head.headers.capacity(), capacity);
}

TEST(ParseRequestHead, HeadLimitIsInclusiveAndAppliesBeforeTheHeadEnds) {
  const HeadLimits limits{.max_head_bytes = kGet.size(), .max_fields = 100};
  RequestHead head;
  EXPECT_EQ(parse(kGet, head, limits).status, ParseStatus::kComplete);

  const HeadLimits smaller{.max_head_bytes = kGet.size() - 1, .max_fields = 100};
  const ParseResult over = parse(kGet, head, smaller);
  EXPECT_EQ(over.status, ParseStatus::kError);
  EXPECT_EQ(over.error_status, 431);

  // No terminator within the limit: refused before the head ends, so buffers stay bounded.
  const std::string endless = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + std::string(8192, 'x');
  const HeadLimits eight_k{.max_head_bytes = 8192, .max_fields = 100};
  const ParseResult r = parse(endless, head, eight_k);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, 431);
  EXPECT_EQ(parse(std::string_view(endless).substr(0, 8191), head, eight_k).status,
            ParseStatus::kIncomplete);
}

TEST(ParseRequestHead, FieldLimitIsInclusive) {
  const HeadLimits limits{.max_head_bytes = 16 * 1024, .max_fields = 2};
  RequestHead head;
  EXPECT_EQ(parse(post_with("X-A: 1\r\n"), head, limits).status, ParseStatus::kComplete);
  const ParseResult r = parse(post_with("X-A: 1\r\nX-B: 2\r\n"), head, limits);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, 431);
}

TEST(FindHeadEnd, ReturnsTheOffsetPastTheBlankLine) {
  EXPECT_EQ(find_head_end(kGet, 0), kGet.size());
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nHost: a\r\n", 0), 0u);
  EXPECT_EQ(find_head_end("", 0), 0u);
  const std::string two = std::string(kGet) + std::string(kGet);
  EXPECT_EQ(find_head_end(two, 0), kGet.size());
}

TEST(FindHeadEnd, AgreesWithTheParserAboutLeadingEmptyLines) {
  const std::string wire = "\r\n\r\n\r\n" + std::string(kGet);
  for (std::size_t seen = 0; seen < wire.size(); ++seen) {
    // However much an earlier scan saw, only the end of the whole head is found.
    EXPECT_EQ(find_head_end(std::string_view(wire).substr(0, seen), 0), 0u) << seen;
    EXPECT_EQ(find_head_end(wire, seen), wire.size()) << seen;
  }
  RequestHead head;
  const ParseResult r = parse(std::string_view(wire).substr(0, find_head_end(wire, 0)), head);
  EXPECT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(r.consumed, wire.size());
}

TEST(FindHeadEnd, FindsATerminatorSplitAcrossScans) {
  const std::string_view data = kGet;
  // The previous scan saw everything but the last 1, 2 or 3 bytes of the terminator.
  for (std::size_t missing = 1; missing <= 3; ++missing) {
    const std::size_t seen = data.size() - missing;
    EXPECT_EQ(find_head_end(data.substr(0, seen), 0), 0u);
    EXPECT_EQ(find_head_end(data, seen), data.size()) << missing;
  }
}

TEST(Tokens, IequalsAndListContainsToken) {
  EXPECT_TRUE(iequals("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(iequals("Content-Length", "Content-Lengt"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_TRUE(list_contains_token("keep-alive, Upgrade", "upgrade"));
  EXPECT_TRUE(list_contains_token(" , close ,", "close"));
  EXPECT_FALSE(list_contains_token("closed, xclose", "close"));
  EXPECT_FALSE(list_contains_token("", "close"));
  // RFC 9110 5.6.1: empty list elements do not count.
  EXPECT_FALSE(list_contains_token("a, ,b", ""));
}

}  // namespace
}  // namespace portico::proxy::http
