// Per-Service queue depth from a Portico replica's text exposition: bodies written by
// prometheus-cpp's own serializer (what a replica serves) and hand-written ones in the
// shapes of the exposition format documentation.
#include "autoscaler/sources/peer_queue_depth.h"

#include <gtest/gtest.h>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "tests/unit/autoscaler/sources/source_test_support.h"

namespace portico::autoscaler {
namespace {

using test::contains;
using Depth = std::map<std::string, int64_t>;

// The exposition format documentation's example, which has none of the two families.
constexpr char kDocsExample[] = R"(# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320
)";

TEST(PeerQueueDepth, SumsBothGaugesPerServiceFromPrometheusCppOutput) {
  prometheus::Registry registry;
  auto& in_flight = prometheus::BuildGauge()
                        .Name("portico_service_requests_in_flight")
                        .Help("Requests in flight to a Service's endpoints")
                        .Register(registry);
  auto& held = prometheus::BuildGauge()
                   .Name("portico_held_requests")
                   .Help("Requests held while a Service has no ready endpoint")
                   .Register(registry);
  in_flight.Add({{"namespace", "shop"}, {"service", "web"}}).Set(6);
  held.Add({{"namespace", "shop"}, {"service", "web"}}).Set(3);
  in_flight.Add({{"namespace", "shop"}, {"service", "cart"}}).Set(0);
  held.Add({{"namespace", "batch"}, {"service", "worker"}}).Set(12);
  // Other families a replica also serves, with the same labels: none of them counts.
  prometheus::BuildCounter()
      .Name("portico_requests_total")
      .Help("Requests")
      .Register(registry)
      .Add({{"namespace", "shop"}, {"service", "web"}})
      .Increment(1000);
  prometheus::BuildHistogram()
      .Name("portico_request_duration_seconds")
      .Help("Latency")
      .Register(registry)
      .Add({{"namespace", "shop"}, {"service", "web"}},
           prometheus::Histogram::BucketBoundaries{0.1, 1})
      .Observe(0.5);
  std::ostringstream exposition;
  prometheus::TextSerializer().Serialize(exposition, registry.Collect());

  const Result<Depth> got = parse_queue_depth(exposition.str());
  ASSERT_TRUE(got.ok()) << got.error() << "\n" << exposition.str();
  EXPECT_EQ(got.value(), (Depth{{"batch/worker", 12}, {"shop/cart", 0}, {"shop/web", 9}}))
      << exposition.str();
}

TEST(PeerQueueDepth, ReadsEveryWellFormedShapeOfTheTwoFamilies) {
  const struct {
    const char* name;
    std::string exposition;
    Depth depth;
  } cases[] = {
      {"nothing", "", {}},
      {"only other families", kDocsExample, {}},
      {"other families around ours",
       std::string(kDocsExample) +
           "# HELP portico_held_requests Held.\n# TYPE portico_held_requests gauge\n"
           "portico_held_requests{namespace=\"shop\",service=\"web\"} 2\n" +
           kDocsExample,
       {{"shop/web", 2}}},
      {"labels in any order",
       "portico_held_requests{service=\"web\",namespace=\"shop\"} 2\n"
       "portico_service_requests_in_flight{namespace=\"shop\",service=\"web\"} 5\n",
       {{"shop/web", 7}}},
      {"extra labels: every line of a Service adds up",
       "portico_held_requests{namespace=\"shop\",policy=\"web-scaler\",service=\"web\"} 2\n"
       "portico_held_requests{namespace=\"shop\",policy=\"other\",service=\"web\"} 4\n",
       {{"shop/web", 6}}},
      {"escaped label values",
       R"(portico_held_requests{namespace="a\"b",service="c\\d\ne"} 1)",
       {{"a\"b/c\\d\ne", 1}}},
      {"float forms and a timestamp",
       "portico_held_requests{namespace=\"n\",service=\"a\"} 3e0\n"
       "portico_held_requests{namespace=\"n\",service=\"b\"} 2.000000 1395066363000\n"
       "portico_held_requests{namespace=\"n\",service=\"c\"} +4\n"
       "portico_held_requests{namespace=\"n\",service=\"d\"} 1.5e1 -3982045\n",
       {{"n/a", 3}, {"n/b", 2}, {"n/c", 4}, {"n/d", 15}}},
      {"blanks, tabs and a trailing comma",
       "  portico_held_requests { namespace = \"n\" ,\tservice=\"s\", }\t 1  \n"
       "portico_held_requests{namespace=\"n\",service=\"t\"}2\n",
       {{"n/s", 1}, {"n/t", 2}}},
      {"no newline at the end",
       "portico_held_requests{namespace=\"n\",service=\"s\"} 1",
       {{"n/s", 1}}},
      {"look-alike names are other families",
       "portico_held_requests_total{namespace=\"n\",service=\"s\"} 100\n"
       "portico_held_requests:sum{namespace=\"n\",service=\"s\"} 100\n"
       "xportico_held_requests{namespace=\"n\",service=\"s\"} 100\n"
       "portico_service_requests_in_flight_max{namespace=\"n\",service=\"s\"} 100\n"
       "portico_held_requests{namespace=\"n\",service=\"s\"} 1\n",
       {{"n/s", 1}}},
      {"malformed lines of other families are skipped",
       "other{namespace=\"n\",service=\"s\" 1\nother{a=\"\\t\"} x\n{} 3\n"
       "portico_held_requests{namespace=\"n\",service=\"s\"} 1\n",
       {{"n/s", 1}}},
      {"comments that look like samples",
       "# portico_held_requests{namespace=\"n\",service=\"s\"} 50\n"
       "#portico_held_requests{namespace=\"n\",service=\"s\"} NaN\n",
       {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<Depth> got = parse_queue_depth(c.exposition);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(got.value(), c.depth);
  }
}

TEST(PeerQueueDepth, RefusesTheWholeExpositionForAMalformedLineOfTheTwoFamilies) {
  const struct {
    const char* name;
    const char* line;
    const char* error;
  } cases[] = {
      {"fraction", R"(portico_held_requests{namespace="n",service="s"} 1.5)",
       "value 1.5 is not a whole, non-negative count"},
      {"negative", R"(portico_service_requests_in_flight{namespace="n",service="s"} -1)",
       "value -1 is not a whole, non-negative count"},
      {"NaN", R"(portico_held_requests{namespace="n",service="s"} Nan)",
       "value Nan is not a whole, non-negative count"},
      {"+Inf", R"(portico_held_requests{namespace="n",service="s"} +Inf)",
       "value +Inf is not a whole, non-negative count"},
      {"beyond exact doubles", R"(portico_held_requests{namespace="n",service="s"} 1e300)",
       "value 1e300 is not a whole, non-negative count"},
      {"not a number", R"(portico_held_requests{namespace="n",service="s"} three)",
       "value \"three\" is not a number"},
      {"no value", R"(portico_held_requests{namespace="n",service="s"})", "no value"},
      {"blank but no value", "portico_held_requests{namespace=\"n\",service=\"s\"}  ", "no value"},
      {"no labels", "portico_held_requests 3", "no namespace label"},
      {"no service label", R"(portico_held_requests{namespace="n"} 3)", "no service label"},
      {"empty namespace", R"(portico_held_requests{namespace="",service="s"} 3)",
       "no namespace label"},
      {"label value not closed", R"(portico_held_requests{namespace="n,service="s"} 3)",
       "expected ',' or '}' after label namespace"},
      {"line ends in a label value", R"(portico_held_requests{namespace="n)",
       "a label value is not closed"},
      {"unknown escape", R"(portico_held_requests{namespace="n\t",service="s"} 3)",
       "invalid escape \\t in a label value"},
      {"unquoted label value", R"(portico_held_requests{namespace=n,service="s"} 3)",
       "a label value does not start with '\"'"},
      {"no '='", R"(portico_held_requests{namespace "n",service="s"} 3)",
       "expected '=' after label namespace"},
      {"label name starting with a digit", R"(portico_held_requests{1a="x"} 3)",
       "expected a label name or '}'"},
      {"label twice", R"(portico_held_requests{namespace="n",service="s",namespace="m"} 3)",
       "label namespace appears twice"},
      {"no closing brace", R"(portico_held_requests{namespace="n",service="s" 3)",
       "expected ',' or '}' after label service"},
      {"junk after the name", "portico_held_requests-x 3", "value \"-x\" is not a number"},
      {"fractional timestamp", R"(portico_held_requests{namespace="n",service="s"} 3 1.5)",
       "timestamp 1.5 is not whole milliseconds"},
      {"text after the timestamp",
       R"(portico_held_requests{namespace="n",service="s"} 3 1395066363000 x)",
       "unexpected text after the timestamp"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string exposition =
        "# TYPE portico_held_requests gauge\n"
        "portico_held_requests{namespace=\"ok\",service=\"ok\"} 1\n" +
        std::string(c.line) + "\n";
    const Result<Depth> got = parse_queue_depth(exposition);
    ASSERT_FALSE(got.ok());
    EXPECT_TRUE(contains(got.error(), c.error)) << got.error();
    const std::string family =
        std::string(c.line).substr(0, std::string(c.line).find_first_of("{ -"));
    EXPECT_TRUE(contains(got.error(), "line 3 (" + family + "): ")) << got.error();
  }
}

TEST(PeerQueueDepth, RefusesASumBeyondTheCountRange) {
  std::string exposition;
  for (int i = 0; i < 1100; ++i) {
    exposition += "portico_held_requests{namespace=\"n\",service=\"s\",replica=\"" +
                  std::to_string(i) + "\"} 9007199254740992\n";
  }
  const Result<Depth> got = parse_queue_depth(exposition);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(contains(got.error(), "the sum overflows")) << got.error();
}

}  // namespace
}  // namespace portico::autoscaler
