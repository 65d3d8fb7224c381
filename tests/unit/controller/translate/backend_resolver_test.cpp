#include "controller/translate/backend_resolver.h"

#include <chrono>

#include <gtest/gtest.h>

#include "proxy/balancer/maglev_table.h"
#include "proxy/balancer/session_affinity.h"

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using test_support::contents_from_yaml;
using test_support::endpoint_strings;
using test_support::ready_endpoint;
using test_support::service_yaml;
using test_support::slice_yaml;

// A policy spelled out, as the annotations would choose it.
proxy::BalancingPolicy balancing(proxy::Algorithm algorithm,
                                 proxy::HashSource source = proxy::HashSource::kClientIp,
                                 std::string name = "", std::chrono::milliseconds slow_start = {}) {
  return proxy::BalancingPolicy{algorithm, source, std::move(name), slow_start};
}

const proxy::BalancingPolicy kRoundRobin{};

class BackendResolverTest : public ::testing::Test {
 protected:
  // Resolves demo/<service>:<port> against `yaml`.
  std::shared_ptr<const proxy::Backend> resolve(const std::string& yaml, const std::string& service,
                                                PortRef port) {
    contents_ = contents_from_yaml(yaml);
    resolver_ = std::make_unique<BackendResolver>(contents_, registry_, warnings_);
    return resolver_->resolve("demo", IngressBackend{service, std::move(port)}, "demo/ing",
                              {kRoundRobin, {}});
  }
  std::vector<Warning> warnings() { return std::move(warnings_).take(); }

  proxy::EndpointStateRegistry registry_;
  StoreContents contents_;
  WarningList warnings_;
  std::unique_ptr<BackendResolver> resolver_;
};

TEST_F(BackendResolverTest, PortByNumberUsesTheSlicePortNamedLikeTheServicePort) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "9001") +
                  slice_yaml("demo", "web-1", "web", "http", 8080,
                             {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->name, "demo/web:80");
  EXPECT_EQ(backend->namespace_, "demo");
  EXPECT_EQ(backend->service, "web");
  // The slice says 8080 for port "http": that wins over the Service's targetPort.
  EXPECT_EQ(endpoint_strings(*backend),
            (std::vector<std::string>{"10.0.0.1:8080", "10.0.0.2:8080"}));
  EXPECT_EQ(backend->endpoints[0].address,
            boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("10.0.0.1"), 8080));
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverTest, PortByNameFindsTheServicePort) {
  const auto backend = resolve(
      service_yaml("demo", "web", 80, "http", "") + service_yaml("demo", "other", 81, "http", "") +
          slice_yaml("demo", "web-1", "web", "http", 9000, {ready_endpoint("10.0.0.1")}),
      "web", PortRef{0, "http"});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->name, "demo/web:80");
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:9000"}));
}

TEST_F(BackendResolverTest, NamedTargetPortResolvesThroughSlicePortNames) {
  // targetPort names a container port; only the slice knows its number.
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "web-port") +
                  slice_yaml("demo", "web-1", "web", "http", 7070, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:7070"}));
}

TEST_F(BackendResolverTest, UnnamedServicePortMatchesTheUnnamedSlicePort) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "", "") +
                  slice_yaml("demo", "web-1", "web", "", 6060, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:6060"}));
}

TEST_F(BackendResolverTest, WithoutAMatchingSlicePortANumericTargetPortIsUsed) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "9001") +
                  slice_yaml("demo", "web-1", "web", "metrics", 9100, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:9001"}));
}

TEST_F(BackendResolverTest, WithoutAMatchingSlicePortOrTargetPortTheServicePortIsUsed) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "metrics", 9100, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:80"}));
}

TEST_F(BackendResolverTest, NamedTargetPortWithoutASlicePortSkipsTheSliceWithAWarning) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "web-port") +
                  slice_yaml("demo", "web-1", "web", "metrics", 9100, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_TRUE(backend->endpoints.empty());
  const std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].object, "demo/web-1");
  EXPECT_NE(list[0].message.find("web-port"), std::string::npos) << list[0].message;
}

TEST_F(BackendResolverTest, UsesReadyEndpointsAndNeverTerminatingOnesWhileAnyIsReady) {
  const auto backend = resolve(
      service_yaml("demo", "web", 80, "http", "") +
          slice_yaml("demo", "web-1", "web", "http", 80,
                     {"{addresses: [10.0.0.1], conditions: {ready: true}}",
                      "{addresses: [10.0.0.2]}",  // unset ready means ready
                      "{addresses: [10.0.0.3], conditions: {ready: false}}",
                      "{addresses: [10.0.0.4], conditions: {ready: false, serving: true, "
                      "terminating: true}}",
                      "{addresses: [10.0.0.5], conditions: {ready: true, terminating: true}}"}),
      "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80"}));
}

TEST_F(BackendResolverTest, FallsBackToServingTerminatingEndpointsWhenNoneIsReady) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80,
                             {"{addresses: [10.0.0.3], conditions: {ready: false}}",
                              "{addresses: [10.0.0.4], conditions: {ready: false, serving: true, "
                              "terminating: true}}",
                              "{addresses: [10.0.0.6], conditions: {ready: false, serving: false, "
                              "terminating: true}}"}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.4:80"}));
}

TEST_F(BackendResolverTest, ListsAnAddressSeenInSeveralSlicesOnce) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80,
                             {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}) +
                  slice_yaml("demo", "web-2", "web", "http", 80,
                             {ready_endpoint("10.0.0.2"), ready_endpoint("fd00::1")}) +
                  slice_yaml("other", "web-3", "web", "http", 80, {ready_endpoint("10.9.9.9")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend),
            (std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80", "[fd00::1]:80"}));
}

TEST_F(BackendResolverTest, SkipsInvalidAddressesWithAWarning) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80,
                             {ready_endpoint("10.0.0.300"), ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"10.0.0.1:80"}));
  const std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].object, "demo/web-1");
  EXPECT_NE(list[0].message.find("10.0.0.300"), std::string::npos);
}

TEST_F(BackendResolverTest, MissingServiceOrPortGivesNoBackendAndAWarning) {
  EXPECT_EQ(resolve(service_yaml("other", "web", 80, "http", ""), "web", PortRef{80, ""}), nullptr);
  std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0],
            (Warning{"Ingress", "demo/ing", "service demo/web not found; its paths answer 503"}));

  warnings_ = WarningList();
  EXPECT_EQ(resolve(service_yaml("demo", "web", 80, "http", ""), "web", PortRef{0, "grpc"}),
            nullptr);
  list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], (Warning{"Ingress", "demo/ing",
                              "service demo/web has no port grpc; its paths answer 503"}));
}

TEST_F(BackendResolverTest, ServiceWithoutSlicesIsABackendWithoutEndpoints) {
  const auto backend = resolve(service_yaml("demo", "web", 80, "http", ""), "web", PortRef{80, ""});
  ASSERT_NE(backend, nullptr);
  EXPECT_TRUE(backend->endpoints.empty());
  EXPECT_EQ(warnings().size(), 1u);
}

TEST_F(BackendResolverTest, SharesOneBackendPerServicePort) {
  const auto first =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  const auto by_name =
      resolver_->resolve("demo", IngressBackend{"web", {0, "http"}}, "demo/b", {kRoundRobin, {}});
  EXPECT_EQ(first, by_name);
  ASSERT_EQ(resolver_->backends().size(), 1u);
  EXPECT_EQ(resolver_->backends()[0], first);
  EXPECT_EQ(first->index, 0u);
}

TEST_F(BackendResolverTest, OneServicePortUnderTwoPoliciesIsTwoBackends) {
  const proxy::BalancingPolicy least = balancing(proxy::Algorithm::kLeastConnections);
  const auto round_robin =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80,
                             {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}),
              "web", PortRef{80, ""});
  const auto least_connections =
      resolver_->resolve("demo", IngressBackend{"web", {80, ""}}, "demo/b", {least, {}});
  const auto again =
      resolver_->resolve("demo", IngressBackend{"web", {0, "http"}}, "demo/c", {least, {}});
  ASSERT_NE(round_robin, nullptr);
  ASSERT_NE(least_connections, nullptr);
  EXPECT_NE(round_robin, least_connections);
  EXPECT_EQ(again, least_connections) << "the same port and policy share one backend";
  EXPECT_EQ(round_robin->policy, kRoundRobin);
  EXPECT_EQ(least_connections->policy, least);
  // Metrics and logs still see the Service port; the endpoints (and their shared state) are
  // the same ones.
  EXPECT_EQ(least_connections->name, "demo/web:80");
  EXPECT_EQ(least_connections->service, "web");
  EXPECT_EQ(endpoint_strings(*least_connections), endpoint_strings(*round_robin));
  EXPECT_EQ(least_connections->endpoints[1].state, round_robin->endpoints[1].state);
  const auto backends = resolver_->backends();
  ASSERT_EQ(backends.size(), 2u);
  EXPECT_EQ(backends[0], round_robin);
  EXPECT_EQ(backends[1], least_connections);
  EXPECT_EQ(least_connections->index, 1u);
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverTest, HashingPoliciesGetAMaglevTableOverTheEndpoints) {
  const std::string yaml = service_yaml("demo", "web", 80, "http", "") +
                           slice_yaml("demo", "web-1", "web", "http", 80,
                                      {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2"),
                                       ready_endpoint("10.0.0.3")});
  const auto plain = resolve(yaml, "web", PortRef{80, ""});
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->hash_table, nullptr);
  for (const proxy::BalancingPolicy& policy :
       {balancing(proxy::Algorithm::kIpHash),
        balancing(proxy::Algorithm::kConsistentHash, proxy::HashSource::kHeader, "x-user")}) {
    const auto hashed =
        resolver_->resolve("demo", IngressBackend{"web", {80, ""}}, "demo/h", {policy, {}});
    ASSERT_NE(hashed, nullptr);
    ASSERT_NE(hashed->hash_table, nullptr) << proxy::algorithm_name(policy.algorithm);
    EXPECT_EQ(hashed->hash_table->endpoint_count(), 3u);
    EXPECT_LT(hashed->hash_table->lookup(12345), 3u);
  }
  for (const proxy::Algorithm algorithm :
       {proxy::Algorithm::kWeightedRoundRobin, proxy::Algorithm::kLeastConnections,
        proxy::Algorithm::kWeightedLeastConnections, proxy::Algorithm::kLeastResponseTime,
        proxy::Algorithm::kRandom, proxy::Algorithm::kPowerOfTwoChoices,
        proxy::Algorithm::kResourceBased}) {
    const auto unhashed = resolver_->resolve("demo", IngressBackend{"web", {80, ""}}, "demo/u",
                                             {balancing(algorithm), {}});
    ASSERT_NE(unhashed, nullptr);
    EXPECT_EQ(unhashed->hash_table, nullptr) << proxy::algorithm_name(algorithm);
  }
}

TEST_F(BackendResolverTest, AffinityPoliciesGetACookieIndexOverTheEndpoints) {
  const auto plain =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80,
                             {ready_endpoint("10.0.0.1"), ready_endpoint("10.0.0.2")}),
              "web", PortRef{80, ""});
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->cookie_index, nullptr);
  proxy::BalancingPolicy sticky;
  sticky.affinity.enabled = true;
  const auto pinned =
      resolver_->resolve("demo", IngressBackend{"web", {80, ""}}, "demo/s", {sticky, {}});
  ASSERT_NE(pinned, nullptr);
  ASSERT_NE(pinned->cookie_index, nullptr);
  EXPECT_EQ(pinned->cookie_index->find(proxy::session_cookie_key("10.0.0.2:80")), 1u);
}

TEST_F(BackendResolverTest, EndpointStateComesFromTheRegistry) {
  const auto backend =
      resolve(service_yaml("demo", "web", 80, "http", "") +
                  slice_yaml("demo", "web-1", "web", "http", 80, {ready_endpoint("10.0.0.1")}),
              "web", PortRef{80, ""});
  ASSERT_EQ(backend->endpoints.size(), 1u);
  EXPECT_EQ(backend->endpoints[0].state, registry_.acquire("10.0.0.1:80"));
}

std::string external_service_yaml(const std::string& external_name) {
  return "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: demo\n"
         "spec:\n  type: ExternalName\n  externalName: " +
         external_name + "\n  ports:\n    - port: 5432\n      name: pg\n";
}

TEST_F(BackendResolverTest, ExternalNameUsesTheResolvedAddressesOnTheServicePort) {
  contents_ = test_support::contents_from_yaml(external_service_yaml("db.example.com"));
  contents_.resolved_names["db.example.com"] = {"192.0.2.10", "2001:db8::1"};
  BackendResolver resolver(contents_, registry_, warnings_);
  const auto backend = resolver.resolve("demo", IngressBackend{"db", PortRef{5432, ""}}, "demo/ing",
                                        {kRoundRobin, {}});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend),
            (std::vector<std::string>{"192.0.2.10:5432", "[2001:db8::1]:5432"}));
  EXPECT_TRUE(warnings().empty());
}

TEST_F(BackendResolverTest, ExternalNameNotResolvedYetAnswers503WithAWarning) {
  contents_ = test_support::contents_from_yaml(external_service_yaml("db.example.com"));
  BackendResolver resolver(contents_, registry_, warnings_);
  const auto backend = resolver.resolve("demo", IngressBackend{"db", PortRef{0, "pg"}}, "demo/ing",
                                        {kRoundRobin, {}});
  ASSERT_NE(backend, nullptr);
  EXPECT_TRUE(backend->endpoints.empty());
  const std::vector<Warning> list = warnings();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].kind, "Service");
  EXPECT_EQ(list[0].object, "demo/db");
  EXPECT_NE(list[0].message.find("db.example.com"), std::string::npos) << list[0].message;
}

TEST_F(BackendResolverTest, ExternalNameThatIsAnAddressNeedsNoLookup) {
  contents_ = test_support::contents_from_yaml(external_service_yaml("\"192.0.2.7\""));
  BackendResolver resolver(contents_, registry_, warnings_);
  const auto backend = resolver.resolve("demo", IngressBackend{"db", PortRef{5432, ""}}, "demo/ing",
                                        {kRoundRobin, {}});
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(endpoint_strings(*backend), (std::vector<std::string>{"192.0.2.7:5432"}));
}

}  // namespace
}  // namespace portico::controller
