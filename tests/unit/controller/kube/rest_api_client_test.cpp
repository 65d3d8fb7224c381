// RestApiClient against the fake API server over real HTTP and HTTPS sockets.
#include "controller/kube/rest_api_client.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/fakes/fake_api_server/test_certificates.h"
#include "tests/unit/controller/standalone/temp_directory.h"

namespace portico::controller::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeApiServer;
using testing::FakeApiServerOptions;

constexpr char kServices[] = "/api/v1/services";

std::string service_json(const std::string& name, const std::string& payload = "") {
  return R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" + name +
         R"(","namespace":"demo"},"spec":{"ports":[{"port":80}]})" +
         (payload.empty() ? "" : R"(,"data":")" + payload + "\"") + "}";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Polls `condition` until it holds or `limit` passes; the tests wait on conditions, not sleeps.
bool eventually(const std::function<bool()>& condition, milliseconds limit = milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

// The lines a stream delivered, readable from the test thread while the stream runs.
class LineLog {
 public:
  // Records `line`; returns false (stop) once a line contains `stop_at`.
  bool add(std::string_view line) {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
    changed_.notify_all();
    return stop_at_.empty() || !contains(lines_.back(), stop_at_);
  }
  void stop_at(const std::string& marker) {
    std::lock_guard lock(mutex_);
    stop_at_ = marker;
  }
  bool wait_for_line_with(const std::string& part, seconds limit = seconds(5)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] {
      for (const std::string& line : lines_) {
        if (contains(line, part)) return true;
      }
      return false;
    });
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  std::string stop_at_;
};

class RestApiClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { configure_client_threads(4); }

  void SetUp() override { server_.start(); }

  std::unique_ptr<RestApiClient> make_client(const ClientConfig& config) {
    Result<std::unique_ptr<RestApiClient>> client = RestApiClient::create(config);
    EXPECT_TRUE(client.ok()) << client.error();
    return client.ok() ? std::move(client.value()) : nullptr;
  }

  ClientConfig plain_config() const {
    ClientConfig config;
    config.server = server_.url();
    return config;
  }

  // A watch of services from the current resourceVersion, run on its own thread.
  std::future<Result<ApiResponse>> watch(RestApiClient& client, LineLog& log,
                                         seconds idle_timeout = seconds(30)) {
    const std::string target =
        std::string(kServices) + "?watch=true&resourceVersion=" + server_.resource_version();
    return std::async(std::launch::async, [&client, &log, target, idle_timeout] {
      return client.stream_lines(
          target, [&log](std::string_view line) { return log.add(line); }, idle_timeout);
    });
  }

  FakeApiServer server_;
};

TEST_F(RestApiClientTest, CallReturnsStatusAndBodyForEveryMethod) {
  server_.create(kServices, service_json("existing"));
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  ASSERT_NE(client, nullptr);

  Result<ApiResponse> got = client->call(Method::kGet, "/api/v1/namespaces/demo/services/existing");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got.value().status, 200);
  EXPECT_TRUE(contains(got.value().body, R"("name":"existing")")) << got.value().body;

  Result<ApiResponse> missing = client->call(Method::kGet, "/api/v1/namespaces/demo/services/x");
  ASSERT_TRUE(missing.ok()) << missing.error();
  EXPECT_EQ(missing.value().status, 404);
  EXPECT_TRUE(contains(missing.value().body, "NotFound")) << missing.value().body;

  Result<ApiResponse> created =
      client->call(Method::kPost, "/api/v1/namespaces/demo/services", service_json("posted"));
  ASSERT_TRUE(created.ok()) << created.error();
  EXPECT_EQ(created.value().status, 201);
  EXPECT_TRUE(server_.get(kServices, "demo", "posted").has_value());

  Result<ApiResponse> patched =
      client->call(Method::kPatch, "/api/v1/namespaces/demo/services/posted",
                   R"({"metadata":{"labels":{"patched":"yes"}}})", "application/merge-patch+json");
  ASSERT_TRUE(patched.ok()) << patched.error();
  EXPECT_EQ(patched.value().status, 200);
  EXPECT_TRUE(contains(server_.get(kServices, "demo", "posted").value_or(""), "patched"));

  Result<ApiResponse> removed =
      client->call(Method::kDelete, "/api/v1/namespaces/demo/services/posted");
  ASSERT_TRUE(removed.ok()) << removed.error();
  EXPECT_EQ(removed.value().status, 200);
  EXPECT_FALSE(server_.get(kServices, "demo", "posted").has_value());

  const std::vector<testing::RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/api/v1/namespaces/demo/services/existing");
  EXPECT_EQ(requests[2].method, "POST");
  EXPECT_EQ(requests[2].content_type, "application/json");
  EXPECT_EQ(requests[2].body, service_json("posted"));
  EXPECT_EQ(requests[3].method, "PATCH");
  EXPECT_EQ(requests[3].content_type, "application/merge-patch+json");
  EXPECT_EQ(requests[4].method, "DELETE");
}

TEST_F(RestApiClientTest, TheQueryReachesTheServerUnchanged) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  const std::string target =
      "/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls&limit=500&continue=a%2Bb";
  ASSERT_TRUE(client->call(Method::kGet, target).ok());
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.requests()[0].target, target);
}

TEST_F(RestApiClientTest, ServerErrorsAreResponsesAndTransportErrorsAreErrors) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  server_.fail_next(1, 503);
  Result<ApiResponse> failed = client->call(Method::kGet, kServices);
  ASSERT_TRUE(failed.ok()) << failed.error();
  EXPECT_EQ(failed.value().status, 503);

  const std::string url = server_.url();
  server_.stop();
  Result<ApiResponse> down = client->call(Method::kGet, kServices);
  ASSERT_FALSE(down.ok());
  EXPECT_TRUE(contains(down.error(), "GET " + url + kServices)) << down.error();
}

TEST_F(RestApiClientTest, SendsTheBearerTokenAndRereadsARotatedFileAfter401) {
  FakeApiServerOptions options;
  options.bearer_token = "fresh";
  FakeApiServer secured(options);
  secured.start();
  test_support::TempDirectory dir;
  dir.write("token", "stale\n");
  ClientConfig config;
  config.server = secured.url();
  config.token_file = (dir.path() / "token").string();
  std::unique_ptr<RestApiClient> client = make_client(config);

  Result<ApiResponse> rejected = client->call(Method::kGet, kServices);
  ASSERT_TRUE(rejected.ok()) << rejected.error();
  EXPECT_EQ(rejected.value().status, 401);

  // The kubelet rotates the file; the 401 made the client read it again at once.
  dir.write("token", "fresh\n");
  Result<ApiResponse> accepted = client->call(Method::kGet, kServices);
  ASSERT_TRUE(accepted.ok()) << accepted.error();
  EXPECT_EQ(accepted.value().status, 200);

  // Without a 401 the file is not read again within the refresh period.
  dir.write("token", "garbage");
  Result<ApiResponse> cached = client->call(Method::kGet, kServices);
  ASSERT_TRUE(cached.ok()) << cached.error();
  EXPECT_EQ(cached.value().status, 200);

  const std::vector<testing::RecordedRequest> requests = secured.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().authorization, "Bearer fresh");
}

TEST_F(RestApiClientTest, AStaticTokenIsSent) {
  FakeApiServerOptions options;
  options.bearer_token = "static";
  FakeApiServer secured(options);
  secured.start();
  ClientConfig config;
  config.server = secured.url();
  config.token = "static";
  Result<ApiResponse> response = make_client(config)->call(Method::kGet, kServices);
  ASSERT_TRUE(response.ok()) << response.error();
  EXPECT_EQ(response.value().status, 200);
}

TEST_F(RestApiClientTest, StreamDeliversEachLineWhileTheStreamStaysOpen) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  LineLog log;
  log.stop_at(R"("name":"last")");
  std::future<Result<ApiResponse>> stream = watch(*client, log);
  ASSERT_TRUE(eventually([&] { return server_.open_watches() == 1; }));

  server_.create(kServices, service_json("first"));
  ASSERT_TRUE(log.wait_for_line_with(R"("name":"first")"));
  EXPECT_EQ(stream.wait_for(milliseconds(0)), std::future_status::timeout) << "still open";
  EXPECT_EQ(server_.open_watches(), 1u);
  server_.create(kServices, service_json("second"));
  ASSERT_TRUE(log.wait_for_line_with(R"("name":"second")"));

  // on_line returning false ends the stream with its status, and the connection is closed.
  server_.create(kServices, service_json("last"));
  ASSERT_EQ(stream.wait_for(seconds(5)), std::future_status::ready);
  Result<ApiResponse> result = stream.get();
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result.value().status, 200);
  EXPECT_EQ(result.value().body, "");
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(contains(lines[0], R"("type":"ADDED")")) << lines[0];
  EXPECT_TRUE(eventually([&] { return server_.open_watches() == 0; }));
}

TEST_F(RestApiClientTest, AStreamThatIsNotOkReturnsItsStatusAndBody) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  server_.fail_next(1, 500);
  LineLog log;
  Result<ApiResponse> result = watch(*client, log).get();
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result.value().status, 500);
  EXPECT_TRUE(contains(result.value().body, R"("kind":"Status")")) << result.value().body;
  EXPECT_TRUE(log.lines().empty());
}

TEST_F(RestApiClientTest, AStalledStreamEndsWithAnIdleTimeoutError) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  server_.stall_watches(true);
  LineLog log;
  const auto started = std::chrono::steady_clock::now();
  std::future<Result<ApiResponse>> stream = watch(*client, log, seconds(1));
  ASSERT_EQ(stream.wait_for(seconds(10)), std::future_status::ready);
  const Result<ApiResponse> result = stream.get();
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(900));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(contains(result.error(), "no data from the server for 1s")) << result.error();
}

TEST_F(RestApiClientTest, AnIdleTimeoutCountsFromTheLastByte) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  LineLog log;
  log.stop_at(R"("name":"s4")");
  std::future<Result<ApiResponse>> stream = watch(*client, log, seconds(1));
  ASSERT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  // Events every 0.6 s keep a 1 s idle timeout from firing for 2.4 s.
  for (int i = 1; i <= 4; ++i) {
    std::this_thread::sleep_for(milliseconds(600));
    server_.create(kServices, service_json("s" + std::to_string(i)));
  }
  ASSERT_EQ(stream.wait_for(seconds(5)), std::future_status::ready);
  Result<ApiResponse> result = stream.get();
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(log.lines().size(), 4u);
}

TEST_F(RestApiClientTest, ADroppedStreamEnds) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  LineLog log;
  std::future<Result<ApiResponse>> stream = watch(*client, log);
  ASSERT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  server_.drop_watches();
  ASSERT_EQ(stream.wait_for(seconds(5)), std::future_status::ready);
  const Result<ApiResponse> result = stream.get();
  // The zero-size chunk never came: a broken stream, not a clean end.
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(contains(result.error(), kServices)) << result.error();
}

TEST_F(RestApiClientTest, ShutdownEndsAStreamInProgressAndLaterCallsFailAtOnce) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  LineLog log;
  std::future<Result<ApiResponse>> stream = watch(*client, log);
  ASSERT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  client->shutdown();
  ASSERT_EQ(stream.wait_for(seconds(2)), std::future_status::ready);
  const Result<ApiResponse> result = stream.get();
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(contains(result.error(), "shut down")) << result.error();

  server_.clear_requests();
  const Result<ApiResponse> later = client->call(Method::kGet, kServices);
  ASSERT_FALSE(later.ok());
  EXPECT_TRUE(contains(later.error(), "shut down")) << later.error();
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(RestApiClientTest, ALineOverTheLimitIsAnError) {
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  LineLog log;
  std::future<Result<ApiResponse>> stream = watch(*client, log);
  ASSERT_TRUE(eventually([&] { return server_.open_watches() == 1; }));
  server_.create(kServices, service_json("huge", std::string(ApiClient::kMaxLineBytes, 'x')));
  ASSERT_EQ(stream.wait_for(seconds(20)), std::future_status::ready);
  const Result<ApiResponse> result = stream.get();
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(contains(result.error(), "exceeds")) << result.error();
  EXPECT_TRUE(log.lines().empty());
}

TEST_F(RestApiClientTest, ABodyOverTheLimitIsAnError) {
  constexpr int kObjects = 5;
  const std::string payload(ApiClient::kMaxBodyBytes / kObjects + (1u << 20), 'x');
  for (int i = 0; i < kObjects; ++i) {
    server_.create(kServices, service_json("big" + std::to_string(i), payload));
  }
  std::unique_ptr<RestApiClient> client = make_client(plain_config());
  const Result<ApiResponse> list = client->call(Method::kGet, kServices);
  ASSERT_FALSE(list.ok());
  EXPECT_TRUE(contains(list.error(), "exceeds")) << list.error();
}

class RestApiClientTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { configure_client_threads(4); }

  // An HTTPS server; it requires a client certificate signed by the test CA when `mutual`.
  void start(bool mutual) {
    FakeApiServerOptions options;
    options.certificate_pem = certificates_.server_cert_pem;
    options.private_key_pem = certificates_.server_key_pem;
    if (mutual) options.client_ca_pem = certificates_.ca_pem;
    server_ = std::make_unique<FakeApiServer>(options);
    server_->start();
  }

  Result<ApiResponse> get(const ClientConfig& config) {
    Result<std::unique_ptr<RestApiClient>> client = RestApiClient::create(config);
    if (!client) return Error{"create: " + client.error()};
    return client.value()->call(Method::kGet, kServices);
  }

  ClientConfig config(bool client_certificate) const {
    ClientConfig config;
    config.server = server_->url();
    config.certificate_authority_pem = certificates_.ca_pem;
    if (client_certificate) {
      config.client_certificate_pem = certificates_.client_cert_pem;
      config.client_key_pem = certificates_.client_key_pem;
    }
    return config;
  }

  testing::TestCertificates certificates_ = testing::make_test_certificates();
  std::unique_ptr<FakeApiServer> server_;
};

TEST_F(RestApiClientTlsTest, MutualTlsWithTheConfiguredCaAndClientCertificate) {
  start(/*mutual=*/true);
  ASSERT_EQ(server_->url().rfind("https://", 0), 0u);
  Result<ApiResponse> response = get(config(/*client_certificate=*/true));
  ASSERT_TRUE(response.ok()) << response.error();
  EXPECT_EQ(response.value().status, 200);

  EXPECT_FALSE(get(config(/*client_certificate=*/false)).ok())
      << "the server requires a certificate";
}

TEST_F(RestApiClientTlsTest, AServerSignedByAnotherCaIsRefused) {
  start(/*mutual=*/false);
  ClientConfig wrong_ca = config(false);
  wrong_ca.certificate_authority_pem = testing::make_test_certificates().ca_pem;
  const Result<ApiResponse> response = get(wrong_ca);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(contains(response.error(), server_->url())) << response.error();

  ClientConfig system_trust = config(false);
  system_trust.certificate_authority_pem.clear();
  EXPECT_FALSE(get(system_trust).ok());
}

TEST_F(RestApiClientTlsTest, InsecureSkipsVerification) {
  start(/*mutual=*/false);
  ClientConfig insecure = config(false);
  insecure.certificate_authority_pem.clear();
  insecure.insecure_skip_tls_verify = true;
  Result<ApiResponse> response = get(insecure);
  ASSERT_TRUE(response.ok()) << response.error();
  EXPECT_EQ(response.value().status, 200);
}

TEST_F(RestApiClientTlsTest, UnusableTlsMaterialIsRefusedAtCreation) {
  ClientConfig bad_ca;
  bad_ca.server = "https://127.0.0.1:1";
  bad_ca.certificate_authority_pem = "not a certificate";
  EXPECT_FALSE(RestApiClient::create(bad_ca).ok());

  ClientConfig mismatched = bad_ca;
  mismatched.certificate_authority_pem = certificates_.ca_pem;
  mismatched.client_certificate_pem = certificates_.client_cert_pem;
  mismatched.client_key_pem = certificates_.server_key_pem;
  EXPECT_FALSE(RestApiClient::create(mismatched).ok());

  ClientConfig not_http;
  not_http.server = "ftp://127.0.0.1:1";
  EXPECT_FALSE(RestApiClient::create(not_http).ok());
}

}  // namespace
}  // namespace portico::controller::kube
