#include "autoscaler/sources/prometheus_query.h"

#include <cpprest/base_uri.h>
#include <cpprest/json.h>

#include <cmath>
#include <optional>

#include "autoscaler/sources/http_get.h"
#include "autoscaler/sources/prometheus_float.h"

namespace portico::autoscaler {
namespace {

namespace json = web::json;

const json::value* member(const json::value& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const json::object& fields = object.as_object();
  auto found = fields.find(name);
  return found == fields.end() ? nullptr : &found->second;
}

std::string string_member(const json::value& object, const char* name) {
  const json::value* value = member(object, name);
  return value != nullptr && value->is_string() ? value->as_string() : std::string();
}

Result<json::value> parse_json(std::string_view body) {
  try {
    return json::value::parse(std::string(body));
  } catch (const std::exception& error) {
    return Error{std::string("the answer is not JSON: ") + error.what()};
  }
}

// Prometheus' own words from an answer with "status":"error"; nullopt for any other answer.
std::optional<std::string> reported_error(const json::value& answer) {
  if (string_member(answer, "status") != "error") return std::nullopt;
  const std::string type = string_member(answer, "errorType");
  const std::string message = string_member(answer, "error");
  return "Prometheus reported " + (type.empty() ? std::string("an error") : type) + ": " +
         (message.empty() ? std::string("no message") : message);
}

// A [unix time, "value"] pair, the shape of a scalar and of a vector sample's "value".
Result<double> sample_value(const json::value& pair) {
  if (!pair.is_array() || pair.size() != 2 || !pair.at(0).is_number() || !pair.at(1).is_string()) {
    return Error{"a sample is not [time, \"value\"]: " + body_excerpt(pair.serialize())};
  }
  const std::string& text = pair.at(1).as_string();
  const std::optional<double> value = parse_prometheus_float(text);
  if (!value) return Error{"the sample value \"" + body_excerpt(text) + "\" is not a number"};
  if (!std::isfinite(*value)) return Error{"the query returned " + text + ", not a usable backlog"};
  return *value;
}

Result<double> read_answer(const json::value& answer) {
  if (std::optional<std::string> error = reported_error(answer)) return Error{*error};
  if (string_member(answer, "status") != "success") {
    return Error{"the answer has no \"status\":\"success\": " + body_excerpt(answer.serialize())};
  }
  const json::value* data = member(answer, "data");
  const json::value* result = data == nullptr ? nullptr : member(*data, "result");
  if (result == nullptr) return Error{"the answer has no data.result"};
  const std::string type = string_member(*data, "resultType");
  if (type == "scalar") return sample_value(*result);
  if (type != "vector") {
    return Error{"the query returned a " +
                 (type.empty() ? std::string("result without resultType") : type) +
                 "; it must return a scalar or a vector of one sample"};
  }
  if (!result->is_array()) return Error{"the vector in data.result is not an array"};
  const std::size_t samples = result->size();
  if (samples == 0) return Error{"query returned no sample"};
  if (samples > 1) {
    return Error{"query returned " + std::to_string(samples) +
                 " samples; aggregate it (e.g. sum(...))"};
  }
  const json::value* value = member(result->at(0), "value");
  if (value == nullptr) return Error{"the sample has no \"value\" (a native histogram?)"};
  return sample_value(*value);
}

// Why a non-2xx answer failed: Prometheus' error message when the body is one, else the
// start of the body.
std::string describe_failure(int status, const std::string& body) {
  std::string why = "HTTP " + std::to_string(status) + ": ";
  try {
    if (std::optional<std::string> error = reported_error(json::value::parse(body))) {
      return why + *error;
    }
  } catch (const std::exception&) {
    // Not JSON (a proxy's error page, say): the excerpt below says what came.
  }
  return why + body_excerpt(body);
}

// {base_url}/api/v1/query?query=..., with one '/' between the prefix and the API path.
Result<std::string> query_url(std::string base_url, const std::string& query) {
  if (query.empty()) return Error{"the query is empty"};
  if (base_url.find_first_of("?#") != std::string::npos) {
    return Error{
        "the server URL has a query or fragment; only a path prefix can precede "
        "/api/v1/query"};
  }
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return base_url + "/api/v1/query?query=" + web::uri::encode_data_string(query);
}

}  // namespace

Result<double> parse_prometheus_query_response(std::string_view body) {
  Result<json::value> answer = parse_json(body);
  if (!answer) return Error{answer.error()};
  return read_answer(answer.value());
}

Result<double> query_prometheus(const std::string& base_url, const std::string& query,
                                std::chrono::milliseconds timeout) {
  const std::string where = "Prometheus query \"" + query + "\" at " + base_url + ": ";
  Result<std::string> url = query_url(base_url, query);
  if (!url) return Error{where + url.error()};
  Result<HttpReply> reply =
      http_get(url.value(), "application/json", timeout, kMaxQueryResponseBytes);
  if (!reply) return Error{where + reply.error()};
  const HttpReply& answer = reply.value();
  if (answer.status < 200 || answer.status > 299) {
    return Error{where + describe_failure(answer.status, answer.body)};
  }
  Result<double> value = parse_prometheus_query_response(answer.body);
  if (!value) return Error{where + value.error()};
  return value;
}

}  // namespace portico::autoscaler
