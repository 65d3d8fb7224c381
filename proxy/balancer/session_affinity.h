#pragma once
// Cookie-based session affinity (BalancingPolicy::affinity): reading the cookie a request
// carries, finding the endpoint it names, and writing the cookie that pins a client.
//
// The cookie's value is the endpoint's key: XXH64 of its identity ("ip:port",
// endpoint_identity()) under a fixed seed, as 16 lower-case hex digits. It names the
// endpoint without spelling out its address, and every worker, snapshot and Portico replica
// computes the same value for the same endpoint, so a client keeps its endpoint across
// snapshot swaps, restarts and replicas. It is not a secret: whoever can guess an endpoint's
// address and port can compute its key.
//
// Pure functions and an immutable index; any thread; nothing here allocates but building an
// index.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proxy/balancer/balancing_policy.h"
#include "proxy/http/request_head.h"
#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {

inline constexpr std::size_t kSessionCookieValueSize = 16;

// The key of the endpoint whose identity is `identity`.
uint64_t session_cookie_key(std::string_view identity);

// `key` as the cookie's value: kSessionCookieValueSize lower-case hex digits.
void format_session_cookie_value(uint64_t key, std::span<char, kSessionCookieValueSize> out);
// The key a cookie value spells; nullopt for anything format_session_cookie_value() cannot
// have written (another length, upper case, other characters).
std::optional<uint64_t> parse_session_cookie_value(std::string_view value);

// The key in the request's affinity cookie; nullopt when affinity is off, or the request has
// no such cookie, or its value is not one Portico writes.
std::optional<uint64_t> requested_session_key(const SessionAffinity& affinity,
                                              const http::RequestHead& request);

// Adds "Set-Cookie: NAME=VALUE; Path=PATH[; Max-Age=N]; HttpOnly" for `key` to `head`, a
// complete response head: the field goes before the empty line that ends it. The name and
// path were validated by the controller; nothing else is spliced in.
void add_session_cookie(const SessionAffinity& affinity, uint64_t key, std::string& head);

// One backend's endpoints by key: sorted (key, index) pairs, so that finding the endpoint of
// a cookie is a binary search rather than hashing every endpoint per request.
class SessionCookieIndex {
 public:
  SessionCookieIndex() = default;
  // O(n log n), one allocation.
  explicit SessionCookieIndex(std::span<const Endpoint> endpoints);

  // The index (into the endpoints the index was built over) of the endpoint whose key is
  // `key`; nullopt when none is.
  std::optional<std::size_t> find(uint64_t key) const;

  // find(key), when that endpoint may take a request at `now_ns`: it passes its active
  // checks, is not ejected (available()) and its weight is not 0. nullopt otherwise: the
  // request is balanced normally and its response pins the client anew.
  std::optional<std::size_t> pinned(std::span<const Endpoint> endpoints, uint64_t key,
                                    int64_t now_ns) const;

 private:
  std::vector<std::pair<uint64_t, uint32_t>> sorted_;
};

}  // namespace portico::proxy
