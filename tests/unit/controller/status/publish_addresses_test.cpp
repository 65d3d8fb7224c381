#include "controller/status/publish_addresses.h"

#include <gtest/gtest.h>

#include "tests/unit/controller/status/load_balancer_status_printer.h"

namespace portico::controller::status {
namespace {

LoadBalancerIngress ip(const std::string& address) {
  return {.ip = address, .hostname = {}};
}
LoadBalancerIngress host(const std::string& name) {
  return {.ip = {}, .hostname = name};
}

Service service(LoadBalancerStatus load_balancer, std::vector<std::string> external_ips,
                std::string cluster_ip) {
  Service result;
  result.meta.namespace_ = "ingress";
  result.meta.name = "portico";
  result.load_balancer = std::move(load_balancer);
  result.external_ips = std::move(external_ips);
  result.cluster_ip = std::move(cluster_ip);
  return result;
}

TEST(ServiceAddressesTest, PrefersLoadBalancerThenExternalIpsThenClusterIp) {
  struct Case {
    const char* name;
    Service service;
    LoadBalancerStatus expected;
  };
  const Case cases[] = {
      {"load balancer, sorted and deduplicated",
       service({ip("203.0.113.9"), host("lb.example.com"), ip("203.0.113.2"), ip("203.0.113.9")},
               {"198.51.100.1"}, "10.96.0.10"),
       {host("lb.example.com"), ip("203.0.113.2"), ip("203.0.113.9")}},
      {"external IPs when no load balancer",
       service({}, {"198.51.100.2", "198.51.100.1"}, "10.96.0.10"),
       {ip("198.51.100.1"), ip("198.51.100.2")}},
      {"cluster IP when nothing else", service({}, {}, "10.96.0.10"), {ip("10.96.0.10")}},
      {"headless: nothing", service({}, {}, "None"), {}},
      {"no cluster IP (ExternalName): nothing", service({}, {}, ""), {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(service_addresses(c.service), c.expected) << c.name;
  }
}

TEST(ParsePublishAddressesTest, SplitsIpsFromHostnames) {
  auto parsed = parse_publish_addresses(" lb.example.com,10.0.0.2, 2001:db8::1 ,10.0.0.1,10.0.0.2");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed.value(), (LoadBalancerStatus{host("lb.example.com"), ip("10.0.0.1"),
                                                ip("10.0.0.2"), ip("2001:db8::1")}));
  auto empty = parse_publish_addresses("  ");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty.value().empty());
}

TEST(ParsePublishAddressesTest, RejectsAnythingNotAnIpOrDnsName) {
  for (const char* bad :
       {"Example.com", "-lead.example.com", "trail-.example.com", "a..b", "a.b.", "under_score",
        "10.0.0.1,", "a,,b", "http://lb.example.com", "lb.example.com:80", "1.2.3.4/32"}) {
    auto parsed = parse_publish_addresses(bad);
    EXPECT_FALSE(parsed) << bad;
  }
  auto parsed = parse_publish_addresses("10.0.0.1,bad_name");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().find("bad_name"), std::string::npos) << parsed.error();
}

TEST(Dns1123SubdomainTest, EnforcesLabelAndNameLengths) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(is_dns1123_subdomain(label63 + ".example"));
  EXPECT_FALSE(is_dns1123_subdomain(std::string(64, 'a') + ".example"));
  std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(name253.size(), 253u);
  EXPECT_TRUE(is_dns1123_subdomain(name253));
  EXPECT_FALSE(is_dns1123_subdomain(name253 + "b"));
  EXPECT_TRUE(is_dns1123_subdomain("a-1.b2"));
  EXPECT_FALSE(is_dns1123_subdomain(""));
}

TEST(PublishTargetTest, ReadsThePublishServiceFromTheStore) {
  StoreContents contents;
  const PublishSource source = PublishServiceKey{"ingress/portico"};
  EXPECT_EQ(publish_target(source, contents), std::nullopt);
  contents.put(service({host("lb.example.com")}, {}, "10.96.0.10"));
  EXPECT_EQ(publish_target(source, contents), (LoadBalancerStatus{host("lb.example.com")}));
  const PublishSource fixed = LoadBalancerStatus{ip("10.0.0.2"), ip("10.0.0.1")};
  EXPECT_EQ(publish_target(fixed, contents), (LoadBalancerStatus{ip("10.0.0.1"), ip("10.0.0.2")}));
}

}  // namespace
}  // namespace portico::controller::status
