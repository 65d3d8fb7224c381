#include "proxy/balancer/request_hash.h"

#include <strings.h>

#include "proxy/balancer/hash_key.h"

namespace portico::proxy {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The first field named `name`; empty when absent.
std::string_view header_value(const http::RequestHead& request, std::string_view name) {
  for (const http::HeaderField& field : request.headers) {
    if (same_name(field.name, name)) return field.value;
  }
  return {};
}

}  // namespace

std::optional<std::string_view> request_cookie(const http::RequestHead& request,
                                               std::string_view name) {
  for (const http::HeaderField& field : request.headers) {
    if (!same_name(field.name, "cookie")) continue;
    if (std::optional<std::string_view> value = cookie_value(field.value, name)) return value;
  }
  return std::nullopt;
}

uint64_t request_hash(const BalancingPolicy& policy, const http::RequestHead& request,
                      const boost::asio::ip::address& client) {
  if (policy.algorithm == Algorithm::kIpHash) return hash_client_address(client);
  if (policy.algorithm != Algorithm::kConsistentHash) return 0;
  switch (policy.hash_source) {
    case HashSource::kClientIp:
      return hash_client_address(client);
    case HashSource::kHeader:
      return hash_bytes(header_value(request, policy.hash_name));
    case HashSource::kCookie:
      return hash_bytes(request_cookie(request, policy.hash_name).value_or(std::string_view()));
    case HashSource::kPath:
      return hash_bytes(request.path);
  }
  return 0;
}

}  // namespace portico::proxy
