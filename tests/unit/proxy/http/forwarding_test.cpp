#include "proxy/http/forwarding.h"

#include <gtest/gtest.h>

#include <string>

#include "proxy/http/head_parser.h"

namespace portico::proxy::http {
namespace {

// The forwarding fields Portico adds for client 10.0.0.1 on port 80 and Host `host`.
std::string forwarded(std::string_view host, std::string_view request_id = "rid-1") {
  return "X-Forwarded-For: 10.0.0.1\r\nX-Real-IP: 10.0.0.1\r\nX-Forwarded-Proto: http\r\n"
         "X-Forwarded-Host: " +
         std::string(host) +
         "\r\nX-Forwarded-Port: 80\r\nX-Request-ID: " + std::string(request_id) + "\r\n";
}

class UpstreamRequest : public testing::Test {
 protected:
  // Parses `wire` (kept alive in the fixture, as the head points into it) and forwards it.
  std::string forward(std::string wire) {
    wire_ = std::move(wire);
    const ParseResult r = parse_request_head(wire_, HeadLimits{}, head_);
    EXPECT_EQ(r.status, ParseStatus::kComplete) << r.error_detail;
    std::string out = "prefix|";  // output is appended, never assigned
    write_upstream_request(head_, ctx_, out);
    EXPECT_EQ(out.substr(0, 7), "prefix|");
    return out.substr(7);
  }

  ForwardContext ctx_{.client_ip = "10.0.0.1",
                      .scheme = "http",
                      .listener_port = 80,
                      .request_id = "rid-1",
                      .tunnel = false};
  std::string wire_;
  RequestHead head_;
};

TEST_F(UpstreamRequest, KeepsEndToEndFieldsAndAddsForwardingFields) {
  EXPECT_EQ(forward("GET /a?b HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\n"
                    "Content-Length: 0\r\n\r\n"),
            "GET /a?b HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nContent-Length: 0\r\n" +
                forwarded("example.com:8080") + "\r\n");
}

TEST_F(UpstreamRequest, RemovesHopByHopFieldsAndExpect) {
  EXPECT_EQ(forward("POST / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n"
                    "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-Sum\r\n"
                    "Upgrade: h2c\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"),
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n" + forwarded("a") + "\r\n");
}

TEST_F(UpstreamRequest, RemovesFieldsNamedInAnyConnectionField) {
  EXPECT_EQ(forward("GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-One\r\nX-One: 1\r\n"
                    "X-Two: 2\r\nconnection: x-two\r\nX-Three: 3\r\n\r\n"),
            "GET / HTTP/1.1\r\nHost: a\r\nX-Three: 3\r\n" + forwarded("a") + "\r\n");
}

TEST_F(UpstreamRequest, ConnectionCannotRemoveFramingOrHost) {
  // Dropping Content-Length would turn the body into a second request upstream.
  EXPECT_EQ(forward("POST / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length, Host\r\n"
                    "Content-Length: 2\r\n\r\n"),
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n" + forwarded("a") + "\r\n");
}

TEST_F(UpstreamRequest, AppendsToEveryXForwardedForInOrder) {
  const std::string out = forward(
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For:\r\n"
      "x-forwarded-for: 2.2.2.2, 3.3.3.3\r\n\r\n");
  EXPECT_EQ(out,
            "GET / HTTP/1.1\r\nHost: a\r\n"
            "X-Forwarded-For: 1.1.1.1, 2.2.2.2, 3.3.3.3, 10.0.0.1\r\nX-Real-IP: 10.0.0.1\r\n"
            "X-Forwarded-Proto: http\r\nX-Forwarded-Host: a\r\nX-Forwarded-Port: 80\r\n"
            "X-Request-ID: rid-1\r\n\r\n");
}

TEST_F(UpstreamRequest, OverwritesClientForwardingFields) {
  ctx_.scheme = "https";
  ctx_.listener_port = 8443;
  EXPECT_EQ(forward("GET / HTTP/1.1\r\nHost: a\r\nX-Real-IP: 6.6.6.6\r\n"
                    "X-Forwarded-Proto: http\r\nX-Forwarded-Host: evil\r\n"
                    "X-Forwarded-Port: 1\r\n\r\n"),
            "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nX-Real-IP: 10.0.0.1\r\n"
            "X-Forwarded-Proto: https\r\nX-Forwarded-Host: a\r\nX-Forwarded-Port: 8443\r\n"
            "X-Request-ID: rid-1\r\n\r\n");
}

TEST_F(UpstreamRequest, KeepsAValidClientRequestIdOnly) {
  const std::string longest(200, 'i');
  EXPECT_EQ(forward("GET / HTTP/1.1\r\nHost: a\r\nX-Request-ID: " + longest + "\r\n\r\n"),
            "GET / HTTP/1.1\r\nHost: a\r\n" + forwarded("a", longest) + "\r\n");
  EXPECT_EQ(forward("GET / HTTP/1.1\r\nHost: a\r\nX-Request-ID: " + longest + "i\r\n\r\n"),
            "GET / HTTP/1.1\r\nHost: a\r\n" + forwarded("a") + "\r\n");
  EXPECT_EQ(forward("GET / HTTP/1.1\r\nHost: a\r\nX-Request-ID: a b\r\n\r\n"),
            "GET / HTTP/1.1\r\nHost: a\r\n" + forwarded("a") + "\r\n");
}

TEST_F(UpstreamRequest, AbsoluteFormBecomesOriginFormWithTheAuthorityAsHost) {
  EXPECT_EQ(
      forward("GET http://b.example:81/p?q HTTP/1.1\r\nHost: other\r\nX-A: 1\r\n\r\n"),
      "GET /p?q HTTP/1.1\r\nHost: b.example:81\r\nX-A: 1\r\n" + forwarded("b.example:81") + "\r\n");
  EXPECT_EQ(forward("GET http://b HTTP/1.1\r\nHost: b\r\n\r\n"),
            "GET / HTTP/1.1\r\nHost: b\r\n" + forwarded("b") + "\r\n");
  EXPECT_EQ(forward("GET http://b?x=1 HTTP/1.1\r\nHost: b\r\n\r\n"),
            "GET /?x=1 HTTP/1.1\r\nHost: b\r\n" + forwarded("b") + "\r\n");
}

TEST_F(UpstreamRequest, Http10GetsAHostAndHttp11) {
  EXPECT_EQ(forward("GET /x HTTP/1.0\r\nUser-Agent: old\r\n\r\n"),
            "GET /x HTTP/1.1\r\nUser-Agent: old\r\nHost: \r\n"
            "X-Forwarded-For: 10.0.0.1\r\nX-Real-IP: 10.0.0.1\r\nX-Forwarded-Proto: http\r\n"
            "X-Forwarded-Port: 80\r\nX-Request-ID: rid-1\r\n\r\n");
}

TEST_F(UpstreamRequest, ChunkedBodyIsAnnounced) {
  EXPECT_EQ(
      forward("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHost: a\r\n\r\n"),
      "POST / HTTP/1.1\r\nHost: a\r\n" + forwarded("a") + "Transfer-Encoding: chunked\r\n\r\n");
}

TEST_F(UpstreamRequest, TunnelKeepsTheUpgrade) {
  ctx_.tunnel = true;
  EXPECT_EQ(forward("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    "Upgrade: websocket\r\nSec-WebSocket-Key: k\r\n\r\n"),
            "GET /ws HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Key: k\r\n" + forwarded("a") +
                "Connection: upgrade\r\nUpgrade: websocket\r\n\r\n");
}

TEST_F(UpstreamRequest, NoRequestIdWhenNeitherIsValid) {
  ctx_.request_id = "";
  const std::string out = forward("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(out.find("X-Request-ID"), std::string::npos);
}

class ClientResponse : public testing::Test {
 protected:
  std::string forward(std::string wire, std::string_view method = "GET") {
    wire_ = std::move(wire);
    const ParseResult r = parse_response_head(wire_, HeadLimits{}, method, head_);
    EXPECT_EQ(r.status, ParseStatus::kComplete) << r.error_detail;
    std::string out = "prefix|";
    write_client_response(head_, ctx_, out);
    EXPECT_EQ(out.substr(0, 7), "prefix|");
    return out.substr(7);
  }

  ResponseContext ctx_{.keep_client_alive = true,
                       .client_version_minor = 1,
                       .dechunk = false,
                       .request_id = "rid-1"};
  std::string wire_;
  ResponseHead head_;
};

TEST_F(ClientResponse, RemovesHopByHopAndEchoesTheRequestId) {
  EXPECT_EQ(forward("HTTP/1.0 200 Fine\r\nContent-Length: 2\r\nConnection: keep-alive, X-Hop\r\n"
                    "Keep-Alive: timeout=5\r\nX-Hop: 1\r\nProxy-Connection: x\r\nTE: y\r\n"
                    "Trailer: z\r\nUpgrade: w\r\nServer: s\r\n\r\n"),
            "HTTP/1.1 200 Fine\r\nContent-Length: 2\r\nServer: s\r\nX-Request-ID: rid-1\r\n\r\n");
}

TEST_F(ClientResponse, KeepsTheUpstreamRequestId) {
  EXPECT_EQ(forward("HTTP/1.1 200 OK\r\nx-request-id: up\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nx-request-id: up\r\n\r\n");
}

TEST_F(ClientResponse, AnnouncesCloseOrKeepAlive) {
  ctx_.keep_client_alive = false;
  EXPECT_EQ(forward("HTTP/1.1 204 No Content\r\n\r\n"),
            "HTTP/1.1 204 No Content\r\nConnection: close\r\nX-Request-ID: rid-1\r\n\r\n");
  ctx_.keep_client_alive = true;
  ctx_.client_version_minor = 0;
  EXPECT_EQ(forward("HTTP/1.1 204 No Content\r\n\r\n"),
            "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\nX-Request-ID: rid-1\r\n\r\n");
}

TEST_F(ClientResponse, TransferEncodingKeptUnlessDechunking) {
  ctx_.request_id = "";
  EXPECT_EQ(forward("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  ctx_.dechunk = true;
  ctx_.keep_client_alive = false;
  EXPECT_EQ(forward("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
}

TEST_F(ClientResponse, SwitchingProtocolsKeepsConnectionAndUpgrade) {
  ctx_.keep_client_alive = false;
  ctx_.request_id = "";
  EXPECT_EQ(
      forward("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
              "Upgrade: websocket\r\nKeep-Alive: x\r\n\r\n"),
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
}

TEST_F(ClientResponse, EmptyReasonGetsTheStandardOne) {
  EXPECT_EQ(forward("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n"),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nX-Request-ID: rid-1\r\n\r\n");
}

TEST_F(ClientResponse, InvalidRequestIdIsNotEchoed) {
  ctx_.request_id = "a\r\nSet-Cookie: x";
  EXPECT_EQ(forward("HTTP/1.1 200 OK\r\n\r\n"), "HTTP/1.1 200 OK\r\n\r\n");
}

TEST(ErrorResponse, IsCompleteWithBodyIdAndClose) {
  std::string out = "prefix|";
  write_error_response(404, true, "rid-9", out);
  EXPECT_EQ(out,
            "prefix|HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
            "X-Request-ID: rid-9\r\nConnection: close\r\n\r\nNot Found\n");
  out.clear();
  write_error_response(502, false, "", out);
  EXPECT_EQ(out,
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
            "Bad Gateway\n");
  out.clear();
  write_error_response(599, false, "bad id", out);
  EXPECT_EQ(out,
            "HTTP/1.1 599 Unknown\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\n"
            "Unknown\n");
}

TEST(ErrorResponse, CarriesRetryAfterWhenAsked) {
  std::string out;
  write_error_response(503, true, "", out, 5);
  EXPECT_EQ(out,
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            "Content-Length: 20\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
            "Service Unavailable\n");
}

TEST(ReasonPhrase, CoversTheStatusesAProxyUses) {
  const std::pair<uint16_t, std::string_view> expected[] = {
      {100, "Continue"},
      {101, "Switching Protocols"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {206, "Partial Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {411, "Length Required"},
      {413, "Content Too Large"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {505, "HTTP Version Not Supported"},
      {418, "Unknown"},
      {0, "Unknown"},
  };
  for (const auto& [status, reason] : expected) EXPECT_EQ(reason_phrase(status), reason) << status;
}

}  // namespace
}  // namespace portico::proxy::http
