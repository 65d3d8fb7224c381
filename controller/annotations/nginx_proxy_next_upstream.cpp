#include "controller/annotations/nginx_proxy_next_upstream.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace portico::controller::annotations {
namespace {

// nginx's proxy_next_upstream conditions that have no Portico meaning.
constexpr std::array<std::string_view, 6> kUnmapped = {
    "timeout", "invalid_header", "http_403", "http_404", "http_429", "non_idempotent",
};

constexpr std::array<std::pair<std::string_view, uint16_t>, 4> kStatuses = {{
    {"http_500", 500},
    {"http_502", 502},
    {"http_503", 503},
    {"http_504", 504},
}};

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

Parsed<uint32_t> parse_nginx_proxy_next_upstream_tries(const Annotations& annotations) {
  const std::optional<std::string_view> text =
      find_annotation(annotations, kNginxProxyNextUpstreamTriesAnnotation);
  if (!text) return Parsed<uint32_t>::absent();
  uint32_t tries = 0;
  const char* const last = text->data() + text->size();
  const auto [end, error] = std::from_chars(text->data(), last, tries);
  const bool digits = !text->empty() && text->front() >= '0' && text->front() <= '9';
  if (!digits || end != last || error != std::errc() || tries < 1 || tries > kMaxNginxTries) {
    return Parsed<uint32_t>::ignored(
        kNginxProxyNextUpstreamTriesAnnotation, *text,
        "Portico maps only 1 to 10 tries, a bound being required (use portico.io/retries)");
  }
  return Parsed<uint32_t>::of(tries - 1);
}

Parsed<NginxNextUpstream> parse_nginx_proxy_next_upstream(const Annotations& annotations) {
  const std::optional<std::string_view> text =
      find_annotation(annotations, kNginxProxyNextUpstreamAnnotation);
  if (!text) return Parsed<NginxNextUpstream>::absent();
  NginxNextUpstream parsed;
  std::string unmapped;
  bool mapped = false;
  std::string_view rest = *text;
  while (!rest.empty()) {
    if (is_blank(rest.front())) {
      rest.remove_prefix(1);
      continue;
    }
    std::size_t length = 0;
    while (length < rest.size() && !is_blank(rest[length])) ++length;
    const std::string_view word = rest.substr(0, length);
    rest.remove_prefix(length);

    const auto status = std::find_if(kStatuses.begin(), kStatuses.end(),
                                     [&](const auto& entry) { return entry.first == word; });
    if (word == "error") {
      parsed.conditions.connect_failure = true;
      parsed.conditions.reset = true;
    } else if (word == "off") {
      parsed.off = true;
    } else if (status != kStatuses.end()) {
      add_retry_status(parsed.conditions, status->second);
    } else if (std::find(kUnmapped.begin(), kUnmapped.end(), word) != kUnmapped.end()) {
      if (!unmapped.empty()) unmapped += ' ';
      unmapped += word;
      continue;
    } else {
      return Parsed<NginxNextUpstream>::ignored(
          kNginxProxyNextUpstreamAnnotation, *text,
          "expects nginx's proxy_next_upstream conditions (error, http_502, off, ...)");
    }
    mapped = true;
  }
  constexpr std::string_view kWhy =
      "Portico retries on connect failures, resets and 5xx statuses only, and never a request "
      "once its body was sent (use portico.io/retry-on)";
  if (!mapped) {
    return Parsed<NginxNextUpstream>::ignored(kNginxProxyNextUpstreamAnnotation, *text,
                                              "nothing maps: " + std::string(kWhy));
  }
  if (!unmapped.empty()) {
    parsed.note = describe(kNginxProxyNextUpstreamAnnotation, *text,
                           "not mapped: " + unmapped + "; " + std::string(kWhy));
  }
  return Parsed<NginxNextUpstream>::of(std::move(parsed));
}

}  // namespace portico::controller::annotations
