#include "proxy/health/http_check_text.h"

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

TEST(HttpCheckTextTest, RequestIsAMinimalClosingGet) {
  EXPECT_EQ(health_check_request("/healthz?full=1", "10.0.0.7:8080"),
            "GET /healthz?full=1 HTTP/1.1\r\nHost: 10.0.0.7:8080\r\n"
            "User-Agent: portico-health-check\r\nConnection: close\r\n\r\n");
}

TEST(HttpCheckTextTest, PathsThatCouldInjectOrBreakTheRequestAreRefused) {
  EXPECT_FALSE(health_check_request("", "h"));
  EXPECT_FALSE(health_check_request("healthz", "h"));
  EXPECT_FALSE(health_check_request("/a b", "h"));
  EXPECT_FALSE(health_check_request("/a\r\nX-Injected: 1", "h"));
  EXPECT_FALSE(health_check_request("/a\tb", "h"));
  EXPECT_FALSE(health_check_request("/caf\xc3\xa9", "h"));
  EXPECT_FALSE(health_check_request("/a\x7f", "h"));
  EXPECT_TRUE(health_check_request("/~a%20b", "h"));
}

TEST(HttpCheckTextTest, StatusLineGivesTheCode) {
  const StatusLine line = parse_status_line("HTTP/1.1 204 No Content\r\nServer: x\r\n");
  EXPECT_EQ(line.state, StatusLine::State::kComplete);
  EXPECT_EQ(line.status, 204);
  EXPECT_EQ(parse_status_line("HTTP/1.0 503\r\n").status, 503);
  EXPECT_EQ(parse_status_line("HTTP/1.1 302 Found\n").status, 302);
}

TEST(HttpCheckTextTest, StatusLineWaitsForTheEndOfTheLine) {
  EXPECT_EQ(parse_status_line("").state, StatusLine::State::kIncomplete);
  EXPECT_EQ(parse_status_line("HTTP/1.1 200 OK").state, StatusLine::State::kIncomplete);
}

TEST(HttpCheckTextTest, MalformedStatusLinesAreRefused) {
  for (const char* data :
       {"HTTP/1.1 20 OK\r\n", "HTTP/1.1 2000\r\n", "http/1.1 200 OK\r\n", "HTTP/1.1  200 OK\r\n",
        "HTTP/11 200 OK\r\n", "SSH-2.0-OpenSSH\r\n", "\r\n", "HTTP/1.1 2x0 OK\r\n"}) {
    EXPECT_EQ(parse_status_line(data).state, StatusLine::State::kMalformed) << data;
  }
}

}  // namespace
}  // namespace portico::proxy
