// The real binary on real sockets: routing, forwarded headers, keep-alive and pipelining.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

class ProxyRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_a_ = start_backend("127.0.0.2", "web-a");
    web_b_ = start_backend("127.0.0.3", "web-b");
    api_ = start_backend("127.0.0.3", "api");
    manifests_.write("web.yaml", service_yaml("demo", "web", {&web_a_, &web_b_}));
    manifests_.write("api.yaml", service_yaml("demo", "api", {&api_}));
    manifests_.write("ingress.yaml", ingress_yaml("demo", "demo",
                                                  {{"demo.local", "/", "Prefix", "web"},
                                                   {"demo.local", "/api", "Prefix", "api"},
                                                   {"demo.local", "/exact", "Exact", "api"},
                                                   {"*.wild.local", "/", "Prefix", "api"}}));
    // One worker: round robin is per worker, so exact alternation is only defined for one.
    portico_ = start_portico(manifests_.path(), {"--workers", "1"});
  }

  void TearDown() override {
    if (HasFailure() && portico_.process) std::cerr << portico_.process->output();
  }

  std::string backend_of(const std::string& host, const std::string& path) {
    auto response = http_request(portico_.http_port, "GET", path, host);
    if (!response || response->status != 200)
      return "status " + std::to_string(response ? response->status : 0);
    const auto start = response->body.find("\"backend\":\"");
    if (start == std::string::npos) return "no backend field";
    const auto value = start + 11;
    const std::string name = response->body.substr(value, response->body.find('"', value) - value);
    return name.starts_with("web-") ? "web" : name;  // web has two endpoints
  }

  Backend web_a_, web_b_, api_;
  TempDir manifests_;
  Portico portico_;
};

TEST_F(ProxyRoutingTest, RoutesByHostAndPathLikeKubernetes) {
  EXPECT_EQ(backend_of("demo.local", "/"), "web");
  EXPECT_EQ(backend_of("demo.local", "/api"), "api");
  EXPECT_EQ(backend_of("demo.local", "/api/users?x=1"), "api");
  EXPECT_EQ(backend_of("demo.local", "/apiary"), "web");    // element-wise prefix
  EXPECT_EQ(backend_of("DEMO.local:8080", "/api"), "api");  // case and port ignored
  EXPECT_EQ(backend_of("demo.local", "/exact"), "api");
  EXPECT_EQ(backend_of("demo.local", "/exact/more"), "web");
  EXPECT_EQ(backend_of("a.wild.local", "/x"), "api");
  EXPECT_EQ(backend_of("b.a.wild.local", "/x"), "status 404");
  EXPECT_EQ(backend_of("other.local", "/"), "status 404");
}

TEST_F(ProxyRoutingTest, SpreadsRequestsOverEveryEndpointRoundRobin) {
  std::map<std::string, int> seen;
  for (int i = 0; i < 10; ++i) {
    auto response = http_request(portico_.http_port, "GET", "/", "demo.local");
    ASSERT_TRUE(response);
    seen[response->body.find("web-a") != std::string::npos ? "web-a" : "web-b"]++;
  }
  EXPECT_EQ(seen["web-a"], 5);
  EXPECT_EQ(seen["web-b"], 5);
}

TEST_F(ProxyRoutingTest, SetsForwardedHeadersAndKeepsHost) {
  auto response = http_request(portico_.http_port, "GET", "/", "demo.local",
                               {{"X-Forwarded-For", "10.1.1.1"},
                                {"Connection", "close, X-Secret"},
                                {"X-Secret", "hop"},
                                {"X-Request-ID", "abc-123"}});
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  const std::string& body = response->body;
  EXPECT_NE(body.find(R"(["Host","demo.local"])"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(["X-Forwarded-For","10.1.1.1, 127.0.0.1"])"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(["X-Real-IP","127.0.0.1"])"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(["X-Forwarded-Proto","http"])"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(["X-Forwarded-Host","demo.local"])"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(["X-Forwarded-Port",")" + std::to_string(portico_.http_port) + "\"]"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"(["X-Request-ID","abc-123"])"), std::string::npos) << body;
  EXPECT_EQ(body.find("X-Secret"), std::string::npos) << body;
  EXPECT_EQ(body.find("\"Connection\""), std::string::npos) << body;
  EXPECT_EQ(response->header("X-Request-ID"), "abc-123");
}

TEST_F(ProxyRoutingTest, GeneratesARequestIdWhenAbsent) {
  auto first = http_request(portico_.http_port, "GET", "/", "demo.local");
  auto second = http_request(portico_.http_port, "GET", "/", "demo.local");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->header("X-Request-ID").size(), 32u);
  EXPECT_NE(first->header("X-Request-ID"), second->header("X-Request-ID"));
  EXPECT_NE(first->body.find(first->header("X-Request-ID")), std::string::npos);
}

TEST_F(ProxyRoutingTest, ServesPipelinedRequestsInOrderOnOneConnection) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(
      connection.send("GET /one HTTP/1.1\r\nHost: demo.local\r\n\r\n"
                      "GET /api/two HTTP/1.1\r\nHost: demo.local\r\n\r\n"
                      "POST /three HTTP/1.1\r\nHost: demo.local\r\nContent-Length: 5\r\n\r\nhello"
                      "GET /four HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  for (const char* target : {"/one", "/api/two", "/three", "/four"}) {
    auto response = connection.read_response(10s);
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->body.find(std::string("\"target\":\"") + target + "\""), std::string::npos)
        << response->body;
  }
}

TEST_F(ProxyRoutingTest, RefusesSmugglingAttemptsWithoutForwarding) {
  const char* attacks[] = {
      "POST / HTTP/1.1\r\nHost: demo.local\r\nContent-Length: 4\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: demo.local\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nhello",
      "GET / HTTP/1.1\r\nHost: demo.local\r\nX-Folded: a\r\n b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: demo.local\rX: y\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: demo.local\r\nTransfer-Encoding: "
      "chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
  };
  for (const char* attack : attacks) {
    RawConnection connection("127.0.0.1", portico_.http_port);
    ASSERT_TRUE(connection.send(attack));
    auto response = connection.read_response(10s);
    ASSERT_TRUE(response) << attack;
    EXPECT_EQ(response->status, 400) << attack;
    EXPECT_TRUE(connection.wait_closed(5s)) << attack;
  }
}

TEST_F(ProxyRoutingTest, LocalAnswersHonourConnectionClose) {
  for (const char* request : {"GET /x HTTP/1.1\r\nHost: nothing.local\r\nConnection: close\r\n\r\n",
                              "GET /x HTTP/1.0\r\nHost: nothing.local\r\n\r\n"}) {
    RawConnection connection("127.0.0.1", portico_.http_port);
    ASSERT_TRUE(connection.send(request));
    auto response = connection.read_response(10s);
    ASSERT_TRUE(response) << request;
    EXPECT_EQ(response->status, 404) << request;
    EXPECT_EQ(response->header("Connection"), "close") << request;
    EXPECT_TRUE(connection.wait_closed(5s)) << request;
  }
  // Without the request to close, a local answer keeps the connection for the next request.
  RawConnection connection("127.0.0.1", portico_.http_port);
  ASSERT_TRUE(
      connection.send("GET /x HTTP/1.1\r\nHost: nothing.local\r\n\r\n"
                      "GET /api HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
  auto first = connection.read_response(10s);
  auto second = connection.read_response(10s);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 404);
  EXPECT_EQ(second->status, 200);
}

TEST_F(ProxyRoutingTest, AnswersStatusCodesForLocalErrors) {
  auto too_big = http_request(portico_.http_port, "GET", "/", "demo.local",
                              {{"X-Big", std::string(20000, 'a')}});
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 431);

  manifests_.write("api.yaml", service_yaml("demo", "api", {}));
  ASSERT_TRUE(eventually([&] {
    auto response = http_request(portico_.http_port, "GET", "/api", "demo.local");
    return response && response->status == 503;
  }));
}

}  // namespace
}  // namespace portico::testing
