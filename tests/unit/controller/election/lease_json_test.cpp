#include "controller/election/lease_json.h"

#include <gtest/gtest.h>

#include "controller/decode/rfc3339.h"

namespace portico::controller::election {
namespace {

TEST(LeaseJsonTest, RoundTripsEveryField) {
  LeaseRecord record;
  record.holder_identity = "portico-7d9f_3a1b";
  record.lease_duration_seconds = 15;
  record.acquire_time = *parse_rfc3339("2024-05-01T12:00:00.123456Z");
  record.renew_time = *parse_rfc3339("2024-05-01T12:00:09.000001Z");
  record.lease_transitions = 4;
  record.resource_version = "812";

  const std::string json = lease_json("ingress", "portico-leader", record);
  EXPECT_NE(json.find("\"renewTime\":\"2024-05-01T12:00:09.000001Z\""), std::string::npos);
  EXPECT_NE(json.find("\"kind\":\"Lease\""), std::string::npos);
  EXPECT_NE(json.find("\"namespace\":\"ingress\""), std::string::npos);
  auto parsed = parse_lease(json);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed.value(), record);
}

TEST(LeaseJsonTest, CreateCarriesNoResourceVersion) {
  LeaseRecord record;
  record.holder_identity = "me";
  EXPECT_EQ(lease_json("ns", "lock", record).find("resourceVersion"), std::string::npos);
}

TEST(LeaseJsonTest, AbsentSpecFieldsReadAsEmpty) {
  auto parsed = parse_lease(
      R"({"metadata":{"name":"l","resourceVersion":"5"},"spec":{"holderIdentity":null}})");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed.value().resource_version, "5");
  EXPECT_EQ(parsed.value().holder_identity, "");
  EXPECT_EQ(parsed.value().lease_duration_seconds, 0);
  EXPECT_FALSE(parsed.value().renew_time);
}

TEST(LeaseJsonTest, MalformedInputIsAnError) {
  EXPECT_FALSE(parse_lease("{not json"));
  EXPECT_FALSE(parse_lease(R"({"spec":{"renewTime":"yesterday"}})"));
  EXPECT_FALSE(parse_lease(R"({"spec":{"leaseDurationSeconds":"15"}})"));
  EXPECT_FALSE(parse_lease(R"({"spec":{"holderIdentity":3}})"));
}

}  // namespace
}  // namespace portico::controller::election
