#include "proxy/admin/admin_server.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include "proxy/http/head_parser.h"

namespace portico::proxy {
namespace {

// One gauge family whose value the test chooses, standing in for the proxy's metrics.
class FixedCollectable final : public prometheus::Collectable {
 public:
  FixedCollectable(std::string name, double value) : name_(std::move(name)), value_(value) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::MetricFamily family;
    family.name = name_;
    family.help = "test family";
    family.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric metric;
    metric.gauge.value = value_;
    family.metric.push_back(metric);
    return {family};
  }

 private:
  std::string name_;
  double value_;
};

struct ParsedResponse {
  uint16_t status = 0;
  std::string content_type;
  std::string body;
};

// Parses `raw` as one complete response and checks its framing: the body is exactly
// Content-Length bytes, nothing more.
ParsedResponse parse(const std::string& raw, std::string_view method = "GET") {
  http::ResponseHead head;
  const http::ParseResult result = http::parse_response_head(raw, http::HeadLimits{}, method, head);
  ParsedResponse parsed;
  EXPECT_EQ(result.status, http::ParseStatus::kComplete) << raw;
  if (result.status != http::ParseStatus::kComplete) return parsed;
  parsed.status = head.status;
  for (const http::HeaderField& field : head.headers) {
    if (http::iequals(field.name, "Content-Type")) parsed.content_type = field.value;
  }
  parsed.body = raw.substr(result.consumed);
  if (head.facts.framing == http::BodyFraming::kContentLength) {
    EXPECT_EQ(head.facts.content_length, parsed.body.size()) << raw;
  } else {
    EXPECT_TRUE(parsed.body.empty()) << raw;
  }
  return parsed;
}

AdminServer::Readiness ready() {
  return {true, "generation 3"};
}

TEST(AdminServerTest, HealthzIsAlwaysOk) {
  const AdminServer server({}, [] { return AdminServer::Readiness{false, "draining"}; });
  const ParsedResponse response = parse(server.respond("GET", "/healthz"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok\n");
}

TEST(AdminServerTest, ReadyzFollowsTheReadinessCallback) {
  bool is_ready = false;
  std::string detail = "no configuration yet";
  const AdminServer server({}, [&] { return AdminServer::Readiness{is_ready, detail}; });

  ParsedResponse response = parse(server.respond("GET", "/readyz"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "no configuration yet\n");

  is_ready = true;
  detail = "generation 12";
  response = parse(server.respond("GET", "/readyz"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "generation 12\n");

  is_ready = false;
  detail = "draining";
  response = parse(server.respond("GET", "/readyz"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "draining\n");
}

TEST(AdminServerTest, UnknownPathIsNotFound) {
  const AdminServer server({}, ready);
  for (const char* path : {"/", "/metricsx", "/healthz/", "/admin"}) {
    EXPECT_EQ(parse(server.respond("GET", path)).status, 404) << path;
  }
}

TEST(AdminServerTest, OnlyGetAndHeadAreAllowed) {
  const AdminServer server({}, ready);
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
    for (const char* path : {"/healthz", "/metrics", "/nope"}) {
      const std::string raw = server.respond(method, path);
      EXPECT_EQ(parse(raw).status, 405) << method << " " << path;
      // RFC 9110 section 15.5.6: a 405 names the methods that are allowed.
      EXPECT_NE(raw.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos) << raw;
    }
  }
}

// RFC 9110 section 9.3.2: a response to HEAD carries the GET head and no content;
// a body would be read as the start of the next response on a keep-alive connection.
TEST(AdminServerTest, HeadGetsTheHeadWithoutABody) {
  const AdminServer server({}, ready);
  const std::string get = server.respond("GET", "/healthz");
  const std::string head = server.respond("HEAD", "/healthz");
  const std::size_t head_end = get.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(head, get.substr(0, head_end + 4));
}

TEST(AdminServerTest, MetricsRendersEveryCollectableInTextFormat) {
  const FixedCollectable first("first_family", 4);
  const FixedCollectable second("second_family", 9);
  const AdminServer server({&first, &second}, ready);
  const ParsedResponse response = parse(server.respond("GET", "/metrics"));
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.content_type.find("text/plain; version=0.0.4"), std::string::npos)
      << response.content_type;
  EXPECT_NE(response.body.find("# TYPE first_family gauge\n"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("\nfirst_family 4"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("# TYPE second_family gauge\n"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("\nsecond_family 9"), std::string::npos) << response.body;
}

TEST(AdminServerTest, MetricsAreCollectedOnEveryScrape) {
  double value = 1;
  class Live final : public prometheus::Collectable {
   public:
    explicit Live(const double& source) : source_(source) {}
    std::vector<prometheus::MetricFamily> Collect() const override {
      return FixedCollectable("live_value", source_).Collect();
    }

   private:
    const double& source_;
  } live(value);
  const AdminServer server({&live}, ready);
  EXPECT_NE(parse(server.respond("GET", "/metrics")).body.find("\nlive_value 1"),
            std::string::npos);
  value = 2;
  EXPECT_NE(parse(server.respond("GET", "/metrics")).body.find("\nlive_value 2"),
            std::string::npos);
}

}  // namespace
}  // namespace portico::proxy
