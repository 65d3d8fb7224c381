#include "proxy/balancer/session_affinity.h"

#include <algorithm>
#include <cassert>
#include <charconv>

#include "proxy/balancer/hash_key.h"
#include "proxy/balancer/request_hash.h"
#include "proxy/health/outlier_detector.h"

namespace portico::proxy {
namespace {

// Its own seed, so that a cookie's value says nothing about the endpoint's place in the
// consistent-hashing tables, which hash the same identity. "portico" in ASCII; changing it
// re-pins every client once.
constexpr uint64_t kSessionCookieSeed = 0x706f727469636fULL;

constexpr char kHexDigits[] = "0123456789abcdef";

std::optional<uint64_t> hex_digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint64_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<uint64_t>(c - 'a' + 10);
  return std::nullopt;
}

}  // namespace

uint64_t session_cookie_key(std::string_view identity) {
  return hash_bytes(identity, kSessionCookieSeed);
}

void format_session_cookie_value(uint64_t key, std::span<char, kSessionCookieValueSize> out) {
  for (std::size_t i = kSessionCookieValueSize; i-- > 0; key >>= 4) out[i] = kHexDigits[key & 0xf];
}

std::optional<uint64_t> parse_session_cookie_value(std::string_view value) {
  if (value.size() != kSessionCookieValueSize) return std::nullopt;
  uint64_t key = 0;
  for (const char c : value) {
    const std::optional<uint64_t> digit = hex_digit(c);
    if (!digit) return std::nullopt;
    key = key << 4 | *digit;
  }
  return key;
}

std::optional<uint64_t> requested_session_key(const SessionAffinity& affinity,
                                              const http::RequestHead& request) {
  if (!affinity.enabled) return std::nullopt;
  const std::optional<std::string_view> value = request_cookie(request, affinity.cookie_name);
  if (!value) return std::nullopt;
  return parse_session_cookie_value(*value);
}

void add_session_cookie(const SessionAffinity& affinity, uint64_t key, std::string& head) {
  assert(head.ends_with("\r\n\r\n"));
  head.resize(head.size() - 2);  // the empty line goes back on after the field
  char value[kSessionCookieValueSize];
  format_session_cookie_value(key, value);
  head.append("Set-Cookie: ")
      .append(affinity.cookie_name)
      .append("=")
      .append(value, sizeof value)
      .append("; Path=")
      .append(affinity.path);
  if (affinity.max_age_seconds) {
    char digits[10];  // uint32_t has at most 10 decimal digits
    char* end = std::to_chars(digits, digits + sizeof digits, *affinity.max_age_seconds).ptr;
    head.append("; Max-Age=").append(digits, end);
  }
  head.append("; HttpOnly\r\n\r\n");
}

SessionCookieIndex::SessionCookieIndex(std::span<const Endpoint> endpoints) {
  sorted_.reserve(endpoints.size());
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    sorted_.emplace_back(session_cookie_key(endpoints[i].state->identity),
                         static_cast<uint32_t>(i));
  }
  std::sort(sorted_.begin(), sorted_.end());
}

std::optional<std::size_t> SessionCookieIndex::find(uint64_t key) const {
  const auto it =
      std::lower_bound(sorted_.begin(), sorted_.end(), std::pair<uint64_t, uint32_t>{key, 0});
  if (it == sorted_.end() || it->first != key) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> SessionCookieIndex::pinned(std::span<const Endpoint> endpoints,
                                                      uint64_t key, int64_t now_ns) const {
  const std::optional<std::size_t> index = find(key);
  if (!index || *index >= endpoints.size()) return std::nullopt;
  const Endpoint& endpoint = endpoints[*index];
  if (endpoint.weight == 0 || !available(*endpoint.state, now_ns)) return std::nullopt;
  return index;
}

}  // namespace portico::proxy
