#include "controller/events/event.h"

// gtest before cpprestsdk, whose U() macro breaks gtest's templates.
#include <gtest/gtest.h>

#include <cpprest/json.h>

#include "controller/decode/rfc3339.h"

namespace portico::controller::events {
namespace {

using web::json::value;

Event ingress_event(std::string message) {
  return Event{{"Ingress", "networking.k8s.io/v1", "shop", "web", "uid-1"},
               EventType::kWarning,
               "RuleSkipped",
               std::move(message)};
}

TEST(TruncateMessageTest, KeepsShortMessagesAndCutsLongOnesOnACharacterBoundary) {
  EXPECT_EQ(truncate_message("short"), "short");
  EXPECT_EQ(truncate_message(std::string(kMaxMessageBytes, 'a')).size(), kMaxMessageBytes);
  EXPECT_EQ(truncate_message(std::string(5000, 'a')), std::string(kMaxMessageBytes, 'a'));
  // "é" is two bytes; with 1023 ASCII bytes before it, it straddles the limit.
  const std::string straddling = std::string(kMaxMessageBytes - 1, 'a') + "\xC3\xA9" + "tail";
  EXPECT_EQ(truncate_message(straddling), std::string(kMaxMessageBytes - 1, 'a'));
}

TEST(AggregationKeyTest, DiffersInEveryFieldThatMakesEventsDistinct) {
  const Event base = ingress_event("service missing");
  std::vector<Event> variants(8, base);
  variants[0].object.kind = "Service";
  variants[1].object.api_version = "v2";
  variants[2].object.namespace_ = "other";
  variants[3].object.name = "web2";
  variants[4].object.uid = "uid-2";
  variants[5].type = EventType::kNormal;
  variants[6].reason = "Other";
  variants[7].message = "service missing!";
  for (const Event& variant : variants) EXPECT_NE(aggregation_key(variant), aggregation_key(base));
  EXPECT_EQ(aggregation_key(ingress_event("service missing")), aggregation_key(base));
  // Field boundaries matter: "ab"+"c" is not "a"+"bc".
  Event left = base, right = base;
  left.reason = "ab";
  left.message = "c";
  right.reason = "a";
  right.message = "bc";
  EXPECT_NE(aggregation_key(left), aggregation_key(right));
}

TEST(EventJsonTest, CarriesTheCoreV1EventFields) {
  const WallTime first = *parse_rfc3339("2024-05-01T12:00:00Z");
  const WallTime last = *parse_rfc3339("2024-05-01T12:03:00.5Z");
  EventSource source;
  source.reporting_instance = "portico-0_abc";
  const PostedEvent posted{"shop", "web.17c9", 3, first, last};
  const value json = value::parse(event_json(ingress_event("no such service"), source, posted));

  EXPECT_EQ(json.at("apiVersion").as_string(), "v1");
  EXPECT_EQ(json.at("kind").as_string(), "Event");
  EXPECT_EQ(json.at("metadata").at("name").as_string(), "web.17c9");
  EXPECT_EQ(json.at("metadata").at("namespace").as_string(), "shop");
  const value& involved = json.at("involvedObject");
  EXPECT_EQ(involved.at("kind").as_string(), "Ingress");
  EXPECT_EQ(involved.at("apiVersion").as_string(), "networking.k8s.io/v1");
  EXPECT_EQ(involved.at("namespace").as_string(), "shop");
  EXPECT_EQ(involved.at("name").as_string(), "web");
  EXPECT_EQ(involved.at("uid").as_string(), "uid-1");
  EXPECT_EQ(json.at("reason").as_string(), "RuleSkipped");
  EXPECT_EQ(json.at("message").as_string(), "no such service");
  EXPECT_EQ(json.at("type").as_string(), "Warning");
  EXPECT_EQ(json.at("source").at("component").as_string(), "portico");
  EXPECT_EQ(json.at("reportingComponent").as_string(), "portico.io/ingress-controller");
  EXPECT_EQ(json.at("reportingInstance").as_string(), "portico-0_abc");
  EXPECT_EQ(json.at("firstTimestamp").as_string(), "2024-05-01T12:00:00Z");
  EXPECT_EQ(json.at("lastTimestamp").as_string(), "2024-05-01T12:03:00Z");
  EXPECT_EQ(json.at("count").as_integer(), 3);
}

TEST(EventJsonTest, ClusterScopedObjectsReportInTheDefaultNamespace) {
  const InvolvedObject klass{"IngressClass", "networking.k8s.io/v1", "", "portico", ""};
  EXPECT_EQ(event_namespace(klass), "default");
  EXPECT_EQ(event_namespace(ingress_event("").object), "shop");
  const value json = value::parse(
      event_json(Event{klass, EventType::kNormal, "Adopted", "m"}, EventSource{}, PostedEvent{}));
  EXPECT_FALSE(json.at("involvedObject").has_field("namespace"));
  EXPECT_FALSE(json.at("involvedObject").has_field("uid"));
  EXPECT_EQ(json.at("type").as_string(), "Normal");
}

TEST(CountPatchJsonTest, IsAMergePatchOfCountAndLastTimestamp) {
  PostedEvent posted{"shop", "web.1", 7, {}, *parse_rfc3339("2024-05-01T12:00:09Z")};
  const value patch = value::parse(count_patch_json(posted));
  EXPECT_EQ(patch.size(), 2u);
  EXPECT_EQ(patch.at("count").as_integer(), 7);
  EXPECT_EQ(patch.at("lastTimestamp").as_string(), "2024-05-01T12:00:09Z");
}

}  // namespace
}  // namespace portico::controller::events
