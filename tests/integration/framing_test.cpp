// Message framing across the proxy: chunked responses kept for HTTP/1.1 clients and
// de-chunked for HTTP/1.0 ones, chunked request bodies, and Expect: 100-continue.
#include <gtest/gtest.h>

#include "tests/integration/support/body_stream.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kBodyBytes = 300'000;  // several upstream chunks and socket reads

class FramingTest : public SiteTest {
 protected:
  void SetUp() override { start_site(); }
};

TEST_F(FramingTest, ChunkedResponseStaysChunkedForHttp11Clients) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send("GET /bytes/300000?chunked=1 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  PatternChecker checker;
  const auto response =
      connection.read_response(10s, false, [&checker](std::string_view bytes) { checker(bytes); });
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(response->count("Content-Length"), 0);
  EXPECT_EQ(checker.bytes(), kBodyBytes);
  EXPECT_TRUE(checker.intact()) << "first wrong byte at " << checker.first_mismatch();

  // The chunked body ended cleanly, so the connection is still usable.
  ASSERT_TRUE(connection.send("GET /again HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto again = connection.read_response(10s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(FramingTest, Http10ClientGetsTheBodyDechunkedThenTheConnectionCloses) {
  // Precondition: portico speaks HTTP/1.1 upstream, so the backend really sends chunks.
  RawConnection probe("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(probe.send("GET /probe HTTP/1.0\r\nHost: demo.local\r\n\r\n"));
  const auto upstream = probe.read_response(10s);
  ASSERT_TRUE(upstream);
  ASSERT_EQ(json_field(upstream->body, "version"), "HTTP/1.1") << upstream->body;
  EXPECT_TRUE(probe.wait_closed(5s)) << "HTTP/1.0 without keep-alive must close";

  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send("GET /bytes/300000?chunked=1 HTTP/1.0\r\nHost: demo.local\r\n\r\n"));
  PatternChecker checker;
  const auto response =
      connection.read_response(10s, false, [&checker](std::string_view bytes) { checker(bytes); });
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->count("Transfer-Encoding"), 0);
  EXPECT_EQ(checker.bytes(), kBodyBytes);
  EXPECT_TRUE(checker.intact()) << "first wrong byte at " << checker.first_mismatch();
  EXPECT_TRUE(connection.wait_closed(5s));
}

TEST_F(FramingTest, ChunkedRequestBodyReachesTheBackend) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: demo.local\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n"
      "1;note=space\r\n \r\n"
      "a\r\n0123456789\r\n"));
  // The rest in a later segment: chunk boundaries need not match reads.
  ASSERT_TRUE(connection.send("6\r\nworld!\r\n0\r\n\r\n"));
  const auto response = connection.read_response(10s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json_field(response->body, "body_bytes"), "22") << response->body;

  // A larger one, from a fixed buffer in 1 MiB chunks.
  RawConnection large("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(send_large_request(large, "POST /upload HTTP/1.1\r\nHost: demo.local", 3'500'000,
                                 BodyFraming::kChunked));
  const auto large_response = large.read_response(20s);
  ASSERT_TRUE(large_response);
  EXPECT_EQ(large_response->status, 200);
  EXPECT_EQ(json_field(large_response->body, "body_bytes"), "3500000") << large_response->body;
}

TEST_F(FramingTest, ExpectContinueGets100BeforeTheBodyIsSent) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(
      connection.send("POST /upload HTTP/1.1\r\nHost: demo.local\r\nExpect: 100-continue\r\n"
                      "Content-Length: 11\r\n\r\n"));
  std::string interim;
  while (interim.find("\r\n\r\n") == std::string::npos) {
    const std::string more = connection.read_some(5s);
    ASSERT_FALSE(more.empty()) << "no 100 Continue before the body; got: " << interim;
    interim += more;
  }
  EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n")) << interim;
  EXPECT_TRUE(interim.ends_with("\r\n\r\n")) << "more than the interim response: " << interim;

  ASSERT_TRUE(connection.send("hello world"));
  auto response = connection.read_response(10s);
  // RFC 9110 lets a client receive more than one 1xx before the final response.
  while (response && response->status == 100) response = connection.read_response(10s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json_field(response->body, "body_bytes"), "11") << response->body;
}

TEST_F(FramingTest, BodilessResponsesKeepTheConnectionUsable) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  // HEAD announces a length but carries no body; 204 and 304 carry none at all. A proxy that
  // waited for those bodies would stall the next response on the connection.
  ASSERT_TRUE(connection.send("HEAD /bytes/5000 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto head = connection.read_response(5s, true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), "5000");
  ASSERT_TRUE(connection.send("HEAD /bytes/5000?chunked=1 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto chunked_head = connection.read_response(5s, true);
  ASSERT_TRUE(chunked_head);
  EXPECT_EQ(chunked_head->status, 200);
  for (const char* status : {"204", "304"}) {
    ASSERT_TRUE(connection.send(std::string("GET /status/") + status +
                                " HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
    const auto bodiless = connection.read_response(5s);
    ASSERT_TRUE(bodiless) << status;
    EXPECT_EQ(std::to_string(bodiless->status), status);
  }
  ASSERT_TRUE(connection.send("GET /last HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  const auto last = connection.read_response(5s);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->status, 200);
  EXPECT_EQ(json_field(last->body, "target"), "/last");
}

}  // namespace
}  // namespace portico::testing
