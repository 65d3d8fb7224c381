// Instant-query answers in the shapes of the Prometheus HTTP API documentation
// (prometheus.io/docs/prometheus/latest/querying/api/).
#include "autoscaler/sources/prometheus_query.h"

#include <gtest/gtest.h>

namespace portico::autoscaler {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PrometheusQueryResponse, ReadsTheOneNumberOfAScalarOrASingleSampleVector) {
  const struct {
    const char* name;
    const char* body;
    double value;
  } cases[] = {
      {"vector of one sample",
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]}]}})",
       1},
      {"aggregated vector, empty label set",
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"57"]}]}})",
       57},
      {"scalar",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"12.5"]}})",
       12.5},
      {"exponent form",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"1e+06"]}})",
       1e6},
      {"zero",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"0"]}})", 0},
      {"warnings and infos beside the data",
       R"({"status":"success","warnings":["PromQL info: metric might not be a counter"],"infos":["x"],"data":{"resultType":"vector","result":[{"metric":{"queue":"orders"},"value":[1435781451.781,"250"]}]}})",
       250},
      {"blanks between tokens",
       "{ \"status\" : \"success\" ,\n \"data\" : { \"resultType\" : \"scalar\" , \"result\" : [ 1 "
       ", \"3.25\" ] } }\n",
       3.25},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<double> got = parse_prometheus_query_response(c.body);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(got.value(), c.value);
  }
}

TEST(PrometheusQueryResponse, RefusesAnswersThatAreNotOneUsableNumber) {
  const struct {
    const char* name;
    const char* body;
    const char* error;
  } cases[] = {
      {"empty vector", R"({"status":"success","data":{"resultType":"vector","result":[]}})",
       "query returned no sample"},
      {"two samples",
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},{"metric":{"__name__":"up","job":"node","instance":"localhost:9100"},"value":[1435781451.781,"0"]}]}})",
       "query returned 2 samples; aggregate it (e.g. sum(...))"},
      {"NaN",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"NaN"]}})",
       "the query returned NaN, not a usable backlog"},
      {"+Inf",
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1435781451.781,"+Inf"]}]}})",
       "the query returned +Inf, not a usable backlog"},
      {"-Inf",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"-Inf"]}})",
       "the query returned -Inf, not a usable backlog"},
      {"error answer",
       R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:6: parse error: unclosed left parenthesis"})",
       "Prometheus reported bad_data: invalid parameter \"query\": 1:6: parse error: unclosed "
       "left parenthesis"},
      {"error answer with data and warnings",
       R"({"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution","data":{"resultType":"scalar","result":[1,"1"]}})",
       "Prometheus reported execution: query processing would load too many samples"},
      {"matrix",
       R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"values":[[1435781430.781,"1"],[1435781445.781,"1"]]}]}})",
       "the query returned a matrix; it must return a scalar or a vector of one sample"},
      {"string",
       R"({"status":"success","data":{"resultType":"string","result":[1435781451.781,"hello"]}})",
       "the query returned a string"},
      {"native histogram sample",
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1435781451.781,{"count":"10","sum":"3.5","buckets":[[0,"0.5","1","10"]]}]}]}})",
       "the sample has no \"value\""},
      {"value not a number",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"many"]}})",
       "the sample value \"many\" is not a number"},
      {"value not a string",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,5]}})",
       "a sample is not [time, \"value\"]"},
      {"pair of three",
       R"({"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"5","6"]}})",
       "a sample is not [time, \"value\"]"},
      {"no data", R"({"status":"success"})", "the answer has no data.result"},
      {"no status", R"({"data":{"resultType":"scalar","result":[1,"5"]}})",
       "the answer has no \"status\":\"success\""},
      {"truncated JSON", R"({"status":"success","data":{"resultType":"sca)",
       "the answer is not JSON"},
      {"HTML", "<html><body>502 Bad Gateway</body></html>", "the answer is not JSON"},
      {"empty body", "", "the answer is not JSON"},
      {"JSON array", "[1,\"5\"]", "the answer has no \"status\":\"success\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<double> got = parse_prometheus_query_response(c.body);
    ASSERT_FALSE(got.ok()) << got.value();
    EXPECT_TRUE(contains(got.error(), c.error)) << got.error();
  }
}

}  // namespace
}  // namespace portico::autoscaler
