#pragma once
// An external backlog read through the Prometheus HTTP API's instant query
// (GET /api/v1/query): the `prometheus` metric of a ScalingPolicy. Blocking, control plane:
// call from the autoscaler's thread. Thread-safe; never throws.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portico::autoscaler {

// A query answer is one number; this bounds what a runaway query can make Portico read.
inline constexpr std::size_t kMaxQueryResponseBytes = 4u << 20;

// The one number an instant query's JSON answer holds
// ({"status":"success","data":{"resultType":"scalar"|"vector","result":...}}): a scalar, or
// a vector of exactly one sample. An Error for an empty vector ("query returned no sample"),
// several samples (to be aggregated in the query), a matrix or string, NaN or an infinity
// (not a usable backlog), status "error" (its errorType and error quoted), and JSON of any
// other shape. Pure; any thread.
Result<double> parse_prometheus_query_response(std::string_view body);

// Runs `query` at the Prometheus server `base_url` ("http://prometheus:9090", or with the
// path prefix of a server run behind --web.route-prefix, "http://host/prom"): GET
// {base_url}/api/v1/query?query=<percent-encoded query>. The whole call ends within
// `timeout`. An Error names the server and query and says why: no connection, the deadline,
// a non-2xx status with Prometheus' own error message (400 bad_data, 422 execution, 503
// timeout) or else a short excerpt of the body, or an answer parse_prometheus_query_response()
// refuses.
Result<double> query_prometheus(const std::string& base_url, const std::string& query,
                                std::chrono::milliseconds timeout);

}  // namespace portico::autoscaler
