#pragma once
// The hash a request is balanced by, from what its backend's policy names: the client
// address, a header, a cookie or the path. Computed once per request by the session while
// the head's views are alive. Pure; any thread; no allocation.
#include <cstdint>

#include <boost/asio/ip/address.hpp>

#include "proxy/balancer/balancing_policy.h"
#include "proxy/http/request_head.h"

namespace portico::proxy {

// 0 for policies that do not hash. A header or cookie the request lacks hashes as the empty
// string, so such requests share one endpoint rather than spreading at random (nginx's
// upstream hash does the same).
uint64_t request_hash(const BalancingPolicy& policy, const http::RequestHead& request,
                      const boost::asio::ip::address& client);

}  // namespace portico::proxy
