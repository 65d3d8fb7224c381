#pragma once
// The hash a request is balanced by, from what its backend's policy names: the client
// address, a header, a cookie or the path. Computed once per request by the session while
// the head's views are alive. Pure; any thread; no allocation.
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "proxy/balancer/balancing_policy.h"
#include "proxy/http/request_head.h"

namespace portico::proxy {

// 0 for policies that do not hash. A header or cookie the request lacks hashes as the empty
// string, so such requests share one endpoint rather than spreading at random (nginx's
// upstream hash does the same).
uint64_t request_hash(const BalancingPolicy& policy, const http::RequestHead& request,
                      const boost::asio::ip::address& client);

// The value of the request's cookie `name` (cookie_value() rules), looking through every
// Cookie field: a request may split its cookies over several (HTTP/2 gateways do). A view
// into the head; nullopt when no field carries the cookie.
std::optional<std::string_view> request_cookie(const http::RequestHead& request,
                                               std::string_view name);

}  // namespace portico::proxy
