#include <gtest/gtest.h>

#include <string>

#include "proxy/http/head_parser.h"

namespace portico::proxy::http {
namespace {

using namespace std::string_literals;

ParseResult parse(std::string_view data, ResponseHead& head, std::string_view method = "GET",
                  const HeadLimits& limits = {}) {
  return parse_response_head(data, limits, method, head);
}

TEST(ParseResponseHead, ParsesStatusLineAndFields) {
  const std::string wire = "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello";
  ResponseHead head;
  const ParseResult r = parse(wire, head);
  ASSERT_EQ(r.status, ParseStatus::kComplete);
  EXPECT_EQ(r.consumed, wire.size() - 5);
  EXPECT_EQ(head.status, 404);
  EXPECT_EQ(head.reason, "Not Found");
  EXPECT_EQ(head.version_minor, 1);
  ASSERT_EQ(head.headers.size(), 2u);
  EXPECT_EQ(head.facts.framing, BodyFraming::kContentLength);
  EXPECT_EQ(head.facts.content_length, 5u);
  EXPECT_FALSE(head.facts.connection_close);
}

TEST(ParseResponseHead, ReasonMayBeEmptyAndItsSpaceMissing) {
  ResponseHead head;
  ASSERT_EQ(parse("HTTP/1.1 200 \r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.reason, "");
  ASSERT_EQ(parse("HTTP/1.1 204\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.status, 204);
  ASSERT_EQ(parse("HTTP/1.0 200 Very  OK\r\n\r\n", head).status, ParseStatus::kComplete);
  EXPECT_EQ(head.reason, "Very  OK");
  EXPECT_EQ(head.version_minor, 0);
}

TEST(ParseResponseHead, EveryStrictPrefixIsIncomplete) {
  const std::string full = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  ResponseHead head;
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_EQ(parse(std::string_view(full).substr(0, n), head).status, ParseStatus::kIncomplete)
        << n;
  }
}

struct Framing {
  const char* name;
  std::string_view method;
  std::string head;
  BodyFraming framing;
};

const Framing kFramings[] = {
    {"head_request", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", BodyFraming::kNone},
    {"head_chunked", "HEAD", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
     BodyFraming::kNone},
    {"continue", "GET", "HTTP/1.1 100 Continue\r\n\r\n", BodyFraming::kNone},
    {"switching", "GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
     BodyFraming::kNone},
    {"no_content", "GET", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
     BodyFraming::kNone},
    {"not_modified", "GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
     BodyFraming::kNone},
    {"chunked", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
     BodyFraming::kChunked},
    {"content_length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
     BodyFraming::kContentLength},
    {"zero_length", "POST", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", BodyFraming::kNone},
    {"until_close", "GET", "HTTP/1.1 200 OK\r\n\r\n", BodyFraming::kUntilClose},
    {"until_close_http10", "GET", "HTTP/1.0 500 Oops\r\n\r\n", BodyFraming::kUntilClose},
};

class ResponseFraming : public testing::TestWithParam<Framing> {};

TEST_P(ResponseFraming, FollowsRfc9112Section6_3) {
  ResponseHead head;
  ASSERT_EQ(parse(GetParam().head, head, GetParam().method).status, ParseStatus::kComplete);
  EXPECT_EQ(head.facts.framing, GetParam().framing);
  if (GetParam().framing != BodyFraming::kContentLength) {
    EXPECT_EQ(head.facts.content_length, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Statuses, ResponseFraming, testing::ValuesIn(kFramings),
                         [](const testing::TestParamInfo<Framing>& test) {
                           return std::string(test.param.name);
                         });

struct Refused {
  const char* name;
  std::string head;
};

const Refused kRefused[] = {
    {"cl_and_te", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"},
    {"cl_twice", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"},
    {"cl_list", "HTTP/1.1 200 OK\r\nContent-Length: 5,5\r\n\r\n"},
    {"te_gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"},
    {"te_http10", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"},
    {"cl_twice_on_head_status",
     "HTTP/1.1 304 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"},
    {"obs_fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n"},
    {"space_before_colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n"},
    {"bare_lf", "HTTP/1.1 200 OK\nContent-Length: 5\r\n\r\n"},
    {"bare_cr_in_reason", "HTTP/1.1 200 O\rK\r\n\r\n"},
    {"nul_in_reason", "HTTP/1.1 200 O\0K\r\n\r\n"s},
    {"status_below_100", "HTTP/1.1 099 Low\r\n\r\n"},
    {"status_above_599", "HTTP/1.1 600 High\r\n\r\n"},
    {"status_two_digits", "HTTP/1.1 20 OK\r\n\r\n"},
    {"status_four_digits", "HTTP/1.1 2000 OK\r\n\r\n"},
    {"status_missing", "HTTP/1.1 \r\n\r\n"},
    {"version_20", "HTTP/2.0 200 OK\r\n\r\n"},
    {"version_lower_case", "http/1.1 200 OK\r\n\r\n"},
    {"two_spaces_before_status", "HTTP/1.1  200 OK\r\n\r\n"},
    {"too_large", "HTTP/1.1 200 OK\r\nX-Pad: " + std::string(16 * 1024, 'p') + "\r\n\r\n"},
};

class RefusedResponse : public testing::TestWithParam<Refused> {};

TEST_P(RefusedResponse, IsRefusedWith502) {
  ResponseHead head;
  const ParseResult r = parse(GetParam().head, head);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, 502);
}

INSTANTIATE_TEST_SUITE_P(Malformed, RefusedResponse, testing::ValuesIn(kRefused),
                         [](const testing::TestParamInfo<Refused>& test) {
                           return std::string(test.param.name);
                         });

TEST(ParseResponseHead, TooManyFieldsIs502) {
  const HeadLimits limits{.max_head_bytes = 1024, .max_fields = 1};
  ResponseHead head;
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n", head, "GET", limits).status,
            ParseStatus::kComplete);
  const ParseResult r = parse("HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B: 2\r\n\r\n", head, "GET", limits);
  EXPECT_EQ(r.status, ParseStatus::kError);
  EXPECT_EQ(r.error_status, 502);
}

TEST(ParseResponseHead, ConnectionFacts) {
  ResponseHead head;
  ASSERT_EQ(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_TRUE(head.facts.connection_close);
  ASSERT_EQ(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_FALSE(head.facts.connection_close);
  ASSERT_EQ(parse("HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n", head).status,
            ParseStatus::kComplete);
  EXPECT_TRUE(head.facts.connection_close);
  ASSERT_EQ(parse("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                  "Upgrade: websocket\r\n\r\n",
                  head)
                .status,
            ParseStatus::kComplete);
  EXPECT_TRUE(head.facts.connection_upgrade);
  EXPECT_EQ(head.facts.upgrade, "websocket");
}

}  // namespace
}  // namespace portico::proxy::http
