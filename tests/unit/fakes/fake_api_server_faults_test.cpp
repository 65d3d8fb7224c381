// The fake API server's authentication, TLS, injected failures and outages.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/fakes/fake_api_server/test_certificates.h"
#include "tests/unit/fakes/fake_api_server_test_support.h"
#include "tests/unit/fakes/http_test_client.h"

namespace portico::testing {
namespace {

namespace ssl = boost::asio::ssl;
constexpr char kServices[] = "/api/v1/services";

TEST(FakeApiServerFaultsTest, BearerTokenIsRequiredWhenConfigured) {
  FakeApiServerOptions options;
  options.bearer_token = "secret";
  FakeApiServer server(options);
  server.start();
  HttpTestClient client(server.port());
  const TestResponse missing = client.request("GET", kServices);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(parse_json(missing.body).at("reason").as_string(), "Unauthorized");
  EXPECT_EQ(client.request("GET", kServices, {}, "Authorization: Bearer wrong").status, 401);
  EXPECT_EQ(client.request("GET", kServices, {}, "Authorization: Bearer secret").status, 200);
  EXPECT_EQ(client.request("GET", "/api/v1", {}, "Authorization: Bearer secret").status, 200);
  EXPECT_EQ(server.requests().at(1).authorization, "Bearer wrong");
}

TEST(FakeApiServerFaultsTest, FailNextAnswersTheNextRequestsWithTheStatusAfterAuthentication) {
  FakeApiServerOptions options;
  options.bearer_token = "t";
  FakeApiServer server(options);
  server.start();
  HttpTestClient client(server.port());
  const std::string auth = "Authorization: Bearer t";
  server.fail_next(2, 503);
  EXPECT_EQ(client.request("GET", kServices).status, 401);  // does not use up a failure
  const TestResponse failed = client.request("GET", kServices, {}, auth);
  EXPECT_EQ(failed.status, 503);
  EXPECT_EQ(parse_json(failed.body).at("reason").as_string(), "ServiceUnavailable");
  EXPECT_EQ(parse_json(failed.body).at("code").as_integer(), 503);
  EXPECT_EQ(client.request("GET", kServices + std::string("?watch=1"), {}, auth).status, 503);
  EXPECT_EQ(client.request("GET", kServices, {}, auth).status, 200);
}

TEST(FakeApiServerFaultsTest, StopClosesEverythingAtOnceAndStartComesBackOnThePortWithTheObjects) {
  FakeApiServer server;
  server.start();
  const uint16_t port = server.port();
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(port));
  server.create(kServices, object_json("ns", "kept"));
  const std::string version = server.resource_version();

  HttpTestClient idle(port);  // a keep-alive connection blocked in a read on the server
  EXPECT_EQ(idle.request("GET", kServices).status, 200);
  HttpTestClient watcher(port);
  watcher.send("GET", "/api/v1/services?watch=1&resourceVersion=" + version);
  EXPECT_EQ(watcher.receive_head().status, 200);
  server.stall_watches(true);
  HttpTestClient stalled(port);
  stalled.send("GET", "/api/v1/services?watch=1");
  EXPECT_TRUE(eventually([&] { return server.open_watches() == 2; }));

  const auto stopping = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::milliseconds(500));
  EXPECT_EQ(server.open_watches(), 0u);
  EXPECT_EQ(watcher.next_chunk().kind, TestChunk::Kind::kClosed);
  EXPECT_EQ(idle.receive(std::chrono::milliseconds(500)).status, 0);
  EXPECT_THROW(HttpTestClient refused(port), std::exception);

  server.stall_watches(false);
  server.start(port);
  EXPECT_EQ(server.port(), port);
  HttpTestClient client(port);
  EXPECT_EQ(client.request("GET", "/api/v1/namespaces/ns/services/kept").status, 200);
  const auto next = parse_json(server.create(kServices, object_json("ns", "new")));
  EXPECT_GT(std::stoi(metadata_field(next, "resourceVersion")), std::stoi(version));
  // The history survived: a watch from before the outage replays what came after.
  client.send("GET", "/api/v1/services?watch=1&resourceVersion=" + version);
  EXPECT_EQ(client.receive_head().status, 200);
  const TestChunk replayed = client.next_chunk();
  ASSERT_EQ(replayed.kind, TestChunk::Kind::kData);
  EXPECT_EQ(metadata_field(parse_json(replayed.data).at("object"), "name"), "new");
}

class FakeApiServerTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certificates_ = new TestCertificates(make_test_certificates()); }
  static void TearDownTestSuite() { delete certificates_; }

  // A client context that trusts the test CA, with the client certificate when asked.
  static ssl::context client_context(bool with_certificate) {
    ssl::context context(ssl::context::tls_client);
    context.add_certificate_authority(boost::asio::buffer(certificates_->ca_pem));
    context.set_verify_mode(ssl::verify_peer);
    if (with_certificate) {
      context.use_certificate_chain(boost::asio::buffer(certificates_->client_cert_pem));
      context.use_private_key(boost::asio::buffer(certificates_->client_key_pem),
                              ssl::context::pem);
    }
    return context;
  }

  static FakeApiServerOptions tls_options() {
    FakeApiServerOptions options;
    options.certificate_pem = certificates_->server_cert_pem;
    options.private_key_pem = certificates_->server_key_pem;
    return options;
  }

  static TestCertificates* certificates_;
};
TestCertificates* FakeApiServerTlsTest::certificates_ = nullptr;

TEST_F(FakeApiServerTlsTest, ServesHttpsWithACertificateTheTestCaVerifiesFor127001) {
  FakeApiServer server(tls_options());
  server.start();
  EXPECT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0u);
  ssl::context context = client_context(false);
  HttpTestClient client(server.port(), &context);
  EXPECT_EQ(client.request("GET", "/api/v1").status, 200);
  server.create(kServices, object_json("ns", "web"));
  client.send("GET", "/api/v1/services?watch=1&resourceVersion=0");
  EXPECT_EQ(client.receive_head().status, 200);
  const TestChunk added = client.next_chunk();
  ASSERT_EQ(added.kind, TestChunk::Kind::kData);
  EXPECT_EQ(parse_json(added.data).at("type").as_string(), "ADDED");

  ssl::context untrusting(ssl::context::tls_client);
  untrusting.set_verify_mode(ssl::verify_peer);
  EXPECT_THROW(HttpTestClient rejected(server.port(), &untrusting), std::exception);
}

TEST_F(FakeApiServerTlsTest, RequiresAClientCertificateSignedByTheClientCa) {
  FakeApiServerOptions options = tls_options();
  options.client_ca_pem = certificates_->ca_pem;
  FakeApiServer server(options);
  server.start();
  ssl::context with = client_context(true);
  HttpTestClient client(server.port(), &with);
  EXPECT_EQ(client.request("GET", "/api/v1").status, 200);

  // With TLS 1.3 the server refuses after the client's side of the handshake is done.
  ssl::context without = client_context(false);
  try {
    HttpTestClient anonymous(server.port(), &without);
    anonymous.send("GET", "/api/v1");
    EXPECT_EQ(anonymous.receive().status, 0);
  } catch (const std::exception&) {
    SUCCEED();
  }
}

}  // namespace
}  // namespace portico::testing
