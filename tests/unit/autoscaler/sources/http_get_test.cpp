// The bounded GET under the metric sources, against a real HTTP server on the loopback.
#include "autoscaler/sources/http_get.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/unit/autoscaler/sources/canned_http_server.h"
#include "tests/unit/autoscaler/sources/source_test_support.h"

namespace portico::autoscaler {
namespace {

using std::chrono::milliseconds;
using test::CannedHttpServer;
using test::CannedServerOptions;
using test::contains;
using test::kSlack;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kLimit = 1u << 20;

std::string url(uint16_t port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

TEST(HttpGet, ReturnsStatusAndBodyAndSendsTheRequestedTarget) {
  CannedHttpServer server(test::http_response(404, "text/plain", "no such page"));
  const Result<HttpReply> got =
      http_get(url(server.port(), "/a/b?x=1%202"), "text/plain", milliseconds(5000), kLimit);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value().status, 404);
  EXPECT_EQ(got.value().body, "no such page");
  ASSERT_EQ(server.request_heads().size(), 1u);
  const std::string head = server.request_heads()[0];
  EXPECT_EQ(head.rfind("GET /a/b?x=1%202 HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_EQ(test::header_value(head, "Accept"), "text/plain") << head;
  EXPECT_EQ(test::header_value(head, "Host"), "127.0.0.1:" + std::to_string(server.port())) << head;
}

// cpprestsdk alone cannot resolve a bracketed IPv6 literal; the Host header keeps the brackets.
TEST(HttpGet, ReachesAnIpv6LiteralAndSendsItBracketedAsHost) {
  std::unique_ptr<CannedHttpServer> server;
  try {
    server = std::make_unique<CannedHttpServer>(test::http_response(200, "text/plain", "six"),
                                                CannedServerOptions{.address = "::1"});
  } catch (const std::exception& error) {
    GTEST_SKIP() << "no IPv6 loopback: " << error.what();
  }
  const std::string port = std::to_string(server->port());
  const Result<HttpReply> got =
      http_get("http://[::1]:" + port + "/metrics", "*/*", milliseconds(5000), kLimit);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value().body, "six");
  ASSERT_EQ(server->request_heads().size(), 1u);
  EXPECT_EQ(test::header_value(server->request_heads()[0], "Host"), "[::1]:" + port)
      << server->request_heads()[0];
}

// cpprestsdk's own timeout is an inactivity timer that restarts on every chunk: a chunk every
// 100 ms never trips a 400 ms one. The deadline ends the call anyway.
TEST(HttpGet, EndsAtTheDeadlineWhileChunksTrickleIn) {
  std::vector<std::string> pieces = {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"};
  pieces.insert(pieces.end(), 30, "1\r\nx\r\n");
  pieces.push_back("0\r\n\r\n");
  CannedHttpServer server(pieces, CannedServerOptions{.pause = milliseconds(100)});
  const milliseconds timeout(400);
  const Clock::time_point start = Clock::now();
  const Result<HttpReply> got = http_get(url(server.port(), "/"), "*/*", timeout, kLimit);
  const Clock::duration took = Clock::now() - start;
  ASSERT_FALSE(got.ok()) << got.value().body;
  EXPECT_EQ(got.error(), "no complete response within 400ms");
  EXPECT_GE(took, timeout - milliseconds(50));
  EXPECT_LT(took, timeout + kSlack);
}

TEST(HttpGet, RefusesADeclaredOversizedBodyWithoutWaitingForIt) {
  // Only the head and a few bytes are sent: a client that waited for the body would sit until
  // its deadline.
  CannedHttpServer server("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\nabc",
                          CannedServerOptions{.hold_open = true});
  const milliseconds timeout(10000);
  const Clock::time_point start = Clock::now();
  const Result<HttpReply> got = http_get(url(server.port(), "/"), "*/*", timeout, kLimit);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "the response body exceeds 1048576 bytes (Content-Length 2000000)");
  EXPECT_LT(Clock::now() - start, kSlack);
}

TEST(HttpGet, RefusesAChunkedBodyOnceItPassesTheLimit) {
  const std::string body(kLimit + 1, 'x');
  std::ostringstream chunk_size;
  chunk_size << std::hex << body.size();
  CannedHttpServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                          chunk_size.str() + "\r\n" + body + "\r\n0\r\n\r\n");
  const Result<HttpReply> got =
      http_get(url(server.port(), "/"), "*/*", milliseconds(10000), kLimit);
  ASSERT_FALSE(got.ok()) << got.value().body.size();
  EXPECT_EQ(got.error(), "the response body exceeds 1048576 bytes");
}

TEST(HttpGet, AcceptsABodyOfExactlyTheLimit) {
  const std::string body(kLimit, 'x');
  CannedHttpServer server(test::http_response(200, "text/plain", body));
  const Result<HttpReply> got =
      http_get(url(server.port(), "/"), "*/*", milliseconds(10000), kLimit);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value().body.size(), kLimit);
}

TEST(HttpGet, RefusesUrlsItCannotUse) {
  const struct {
    const char* url;
    const char* error;
  } cases[] = {
      {"ftp://127.0.0.1/x", "not an http:// or https:// URL"},
      {"127.0.0.1:9090", "not a usable URL"},
      {"http://exa mple/", "not a usable URL"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    const Result<HttpReply> got = http_get(c.url, "*/*", milliseconds(1000), kLimit);
    ASSERT_FALSE(got.ok());
    EXPECT_TRUE(contains(got.error(), c.error)) << got.error();
  }
  EXPECT_EQ(http_get(url(test::refused_port(), "/"), "*/*", milliseconds(0), kLimit).error(),
            "the timeout is not positive");
}

TEST(HttpGet, BodyExcerptIsShortAndPrintable) {
  EXPECT_EQ(body_excerpt("short\r\nbody\x01"), "short??body?");
  const std::string excerpt = body_excerpt(std::string(5000, 'a'));
  EXPECT_EQ(excerpt, std::string(200, 'a') + "...");
}

}  // namespace
}  // namespace portico::autoscaler
