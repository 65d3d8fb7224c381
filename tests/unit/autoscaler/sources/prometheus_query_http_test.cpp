// query_prometheus() against a real HTTP server on the loopback playing Prometheus.
#include <gtest/gtest.h>

#include "autoscaler/sources/prometheus_query.h"
#include "tests/unit/autoscaler/sources/canned_http_server.h"
#include "tests/unit/autoscaler/sources/source_test_support.h"

namespace portico::autoscaler {
namespace {

using std::chrono::milliseconds;
using test::CannedHttpServer;
using test::CannedServerOptions;
using test::contains;
using test::kSlack;
using Clock = std::chrono::steady_clock;

constexpr char kOneSample[] =
    R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.123,"42.5"]}]}})";
// '+', '&', '=', '"', '{', '[' and blanks all mean something in a URL.
constexpr char kQuery[] =
    R"(sum(rate(http_requests_total{job="api", path=~"/a&b=c"}[5m])) + 2 * 1)";

std::string base(uint16_t port, const std::string& prefix = "") {
  return "http://127.0.0.1:" + std::to_string(port) + prefix;
}

TEST(QueryPrometheus, ReadsTheSampleAndSendsTheQueryEncodedUnderThePathPrefix) {
  const struct {
    const char* prefix;
    const char* path;
  } cases[] = {
      {"", "/api/v1/query?"},
      {"/", "/api/v1/query?"},
      {"/prom", "/prom/api/v1/query?"},
      {"/prom/", "/prom/api/v1/query?"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.prefix);
    CannedHttpServer server(test::http_response(200, "application/json", kOneSample));
    const Result<double> got =
        query_prometheus(base(server.port(), c.prefix), kQuery, milliseconds(5000));
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(got.value(), 42.5);
    ASSERT_EQ(server.request_heads().size(), 1u);
    const std::string head = server.request_heads()[0];
    EXPECT_EQ(head.rfind(std::string("GET ") + c.path + "query=", 0), 0u) << head;
    EXPECT_EQ(test::query_parameter(head, "query"), kQuery) << head;
    EXPECT_EQ(test::header_value(head, "Accept"), "application/json") << head;
  }
}

TEST(QueryPrometheus, SurfacesPrometheusOwnMessageForABadQuery) {
  CannedHttpServer server(test::http_response(
      400, "application/json",
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected \")\""})"));
  const Result<double> got = query_prometheus(base(server.port()), "sum(", milliseconds(5000));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "Prometheus query \"sum(\" at " + base(server.port()) +
                             ": HTTP 400: Prometheus reported bad_data: invalid parameter "
                             "\"query\": 1:5: parse error: unexpected \")\"");
}

TEST(QueryPrometheus, QuotesAShortExcerptOfANonPrometheusErrorBody) {
  const std::string page = "<html><body>" + std::string(1000, 'x') + "</body></html>";
  CannedHttpServer server(test::http_response(502, "text/html", page));
  const Result<double> got = query_prometheus(base(server.port()), "up", milliseconds(5000));
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(contains(got.error(), "HTTP 502: <html><body>xxx")) << got.error();
  EXPECT_TRUE(contains(got.error(), "xxx...")) << got.error();
  EXPECT_LT(got.error().size(), 400u) << got.error();
}

TEST(QueryPrometheus, NamesTheServerWhenTheAnswerIsUnusable) {
  CannedHttpServer server(
      test::http_response(200, "application/json",
                          R"({"status":"success","data":{"resultType":"vector","result":[]}})"));
  const Result<double> got = query_prometheus(base(server.port()), "up", milliseconds(5000));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(),
            "Prometheus query \"up\" at " + base(server.port()) + ": query returned no sample");
}

TEST(QueryPrometheus, FailsFastWhenTheConnectionIsRefused) {
  const std::string server = base(test::refused_port());
  const Clock::time_point start = Clock::now();
  const Result<double> got = query_prometheus(server, "up", milliseconds(10000));
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(contains(got.error(), "Prometheus query \"up\" at " + server + ": no response"))
      << got.error();
  EXPECT_LT(Clock::now() - start, kSlack);
}

TEST(QueryPrometheus, FailsWithinTheTimeoutWhenTheServerNeverAnswers) {
  CannedHttpServer server("", CannedServerOptions{.hold_open = true});
  const milliseconds timeout(300);
  const Clock::time_point start = Clock::now();
  const Result<double> got = query_prometheus(base(server.port()), "up", timeout);
  const Clock::duration took = Clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "Prometheus query \"up\" at " + base(server.port()) +
                             ": no complete response within 300ms");
  EXPECT_EQ(server.request_heads().size(), 1u);
  EXPECT_LT(took, timeout + kSlack);
}

TEST(QueryPrometheus, RefusesAServerUrlWithAQueryAndAnEmptyQuery) {
  EXPECT_TRUE(contains(query_prometheus("http://p:9090/?x=1", "up", milliseconds(100)).error(),
                       "the server URL has a query or fragment"));
  EXPECT_TRUE(contains(query_prometheus("http://p:9090", "", milliseconds(100)).error(),
                       "the query is empty"));
}

}  // namespace
}  // namespace portico::autoscaler
