#include "autoscaler/sources/peer_queue_depth.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "autoscaler/sources/http_get.h"
#include "autoscaler/sources/prometheus_float.h"

namespace portico::autoscaler {
namespace {

constexpr std::string_view kQueueFamilies[] = {"portico_service_requests_in_flight",
                                               "portico_held_requests"};
constexpr std::string_view kArrivalFamilies[] = {"portico_service_arrivals_total"};
// Only the text format is parsed: a peer that also speaks OpenMetrics or protobuf must pick it.
constexpr char kAccept[] = "text/plain;version=0.0.4";
// The largest count a double holds exactly.
constexpr double kMaxCount = 9007199254740992.0;  // 2^53

struct Sample {
  std::string namespace_;
  std::string service;
  int64_t count = 0;
};

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

void skip_blanks(std::string_view& text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
}

std::string_view take_token(std::string_view& text) {
  std::size_t length = 0;
  while (length < text.size() && !is_blank(text[length])) ++length;
  const std::string_view token = text.substr(0, length);
  text.remove_prefix(length);
  return token;
}

// A metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or, without `colons`, a label name; empty when
// `text` starts with neither.
std::string_view take_name(std::string_view& text, bool colons) {
  std::size_t length = 0;
  for (; length < text.size(); ++length) {
    const char c = text[length];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && length > 0) && !(colons && c == ':')) break;
  }
  const std::string_view name = text.substr(0, length);
  text.remove_prefix(length);
  return name;
}

// A quoted label value with the format's three escapes (\\, \", \n) undone.
Result<std::string> take_label_value(std::string_view& text) {
  if (text.empty() || text.front() != '"') return Error{"a label value does not start with '\"'"};
  text.remove_prefix(1);
  std::string value;
  while (!text.empty()) {
    const char c = text.front();
    text.remove_prefix(1);
    if (c == '"') return value;
    if (c != '\\') {
      value += c;
      continue;
    }
    if (text.empty()) break;
    const char escaped = text.front();
    text.remove_prefix(1);
    if (escaped == 'n') {
      value += '\n';
    } else if (escaped == '\\' || escaped == '"') {
      value += escaped;
    } else {
      return Error{std::string("invalid escape \\") + escaped + " in a label value"};
    }
  }
  return Error{"a label value is not closed"};
}

// The label set, `text` at its '{': namespace and service kept, every label checked.
Status take_labels(std::string_view& text, Sample& sample) {
  text.remove_prefix(1);
  std::vector<std::string_view> names;
  for (;;) {
    skip_blanks(text);
    if (!text.empty() && text.front() == '}') break;
    const std::string_view name = take_name(text, /*colons=*/false);
    if (name.empty()) return Error{"expected a label name or '}'"};
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return Error{"label " + std::string(name) + " appears twice"};
    }
    names.push_back(name);
    skip_blanks(text);
    if (text.empty() || text.front() != '=') {
      return Error{"expected '=' after label " + std::string(name)};
    }
    text.remove_prefix(1);
    skip_blanks(text);
    Result<std::string> value = take_label_value(text);
    if (!value) return Error{value.error()};
    if (name == "namespace") sample.namespace_ = std::move(value.value());
    if (name == "service") sample.service = std::move(value.value());
    skip_blanks(text);
    if (!text.empty() && text.front() == '}') break;
    if (text.empty() || text.front() != ',') {
      return Error{"expected ',' or '}' after label " + std::string(name)};
    }
    text.remove_prefix(1);
  }
  text.remove_prefix(1);
  return Ok{};
}

bool is_timestamp(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<int64_t> count_of(std::string_view text) {
  const std::optional<double> value = parse_prometheus_float(text);
  if (!value) return Error{"value \"" + std::string(text) + "\" is not a number"};
  if (!(*value >= 0 && *value <= kMaxCount) || std::trunc(*value) != *value) {
    return Error{"value " + std::string(text) + " is not a whole, non-negative count"};
  }
  return static_cast<int64_t>(*value);
}

// A sample line of the two families, `rest` just after its metric name:
// [{labels}] value [timestamp], blanks allowed around the label set as Prometheus' own parser
// (expfmt) allows them.
Result<Sample> parse_sample(std::string_view rest) {
  Sample sample;
  skip_blanks(rest);
  if (!rest.empty() && rest.front() == '{') {
    const Status labels = take_labels(rest, sample);
    if (!labels) return Error{labels.error()};
  }
  skip_blanks(rest);
  const std::string_view value = take_token(rest);
  skip_blanks(rest);
  const std::string_view timestamp = take_token(rest);
  skip_blanks(rest);
  if (value.empty()) return Error{"no value"};
  if (!rest.empty()) return Error{"unexpected text after the timestamp"};
  if (!timestamp.empty() && !is_timestamp(timestamp)) {
    return Error{"timestamp " + std::string(timestamp) + " is not whole milliseconds"};
  }
  Result<int64_t> count = count_of(value);
  if (!count) return Error{count.error()};
  sample.count = count.value();
  if (sample.namespace_.empty()) return Error{"no namespace label"};
  if (sample.service.empty()) return Error{"no service label"};
  return sample;
}

// Per "namespace/service", the sum of the samples of `families`.
Result<std::map<std::string, int64_t>> sum_families(std::string_view exposition,
                                                    std::span<const std::string_view> families) {
  std::map<std::string, int64_t> depth;
  std::size_t number = 0;
  while (!exposition.empty()) {
    const std::size_t end = std::min(exposition.find('\n'), exposition.size());
    std::string_view line = exposition.substr(0, end);
    exposition.remove_prefix(std::min(end + 1, exposition.size()));
    ++number;
    skip_blanks(line);
    if (line.empty() || line.front() == '#') continue;
    const std::string_view name = take_name(line, /*colons=*/true);
    if (std::find(families.begin(), families.end(), name) == families.end()) continue;
    Result<Sample> sample = parse_sample(line);
    const std::string where = "line " + std::to_string(number) + " (" + std::string(name) + "): ";
    if (!sample) return Error{where + sample.error()};
    int64_t& total = depth[sample.value().namespace_ + "/" + sample.value().service];
    if (total > std::numeric_limits<int64_t>::max() - sample.value().count) {
      return Error{where + "the sum overflows"};
    }
    total += sample.value().count;
  }
  return depth;
}

}  // namespace

Result<std::map<std::string, int64_t>> parse_queue_depth(std::string_view exposition) {
  return sum_families(exposition, kQueueFamilies);
}

Result<std::map<std::string, int64_t>> parse_arrivals(std::string_view exposition) {
  return sum_families(exposition, kArrivalFamilies);
}

Result<PeerLoad> scrape_queue_depth(const std::string& host, uint16_t port,
                                    std::chrono::milliseconds timeout) {
  const bool bare_ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  const std::string url =
      "http://" + (bare_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/metrics";
  const std::string where = "GET " + url + ": ";
  Result<HttpReply> reply = http_get(url, kAccept, timeout, kMaxExpositionBytes);
  if (!reply) return Error{where + reply.error()};
  if (reply.value().status < 200 || reply.value().status > 299) {
    return Error{where + "HTTP " + std::to_string(reply.value().status) + ": " +
                 body_excerpt(reply.value().body)};
  }
  Result<std::map<std::string, int64_t>> depth = parse_queue_depth(reply.value().body);
  if (!depth) return Error{where + depth.error()};
  Result<std::map<std::string, int64_t>> arrivals = parse_arrivals(reply.value().body);
  if (!arrivals) return Error{where + arrivals.error()};
  return PeerLoad{std::move(depth.value()), std::move(arrivals.value())};
}

}  // namespace portico::autoscaler
