#include "proxy/balancer/session_affinity.h"

#include <array>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/ip/address.hpp>

#include "tests/unit/proxy/balancer/balancer_test_pool.h"

namespace portico::proxy {
namespace {

using balancer_test::make_endpoints;

std::string value_of(uint64_t key) {
  std::array<char, kSessionCookieValueSize> text;
  format_session_cookie_value(key, text);
  return std::string(text.data(), text.size());
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

http::RequestHead with_cookies(std::vector<std::string_view> cookie_fields) {
  http::RequestHead request;
  request.headers.push_back({"Host", "shop.example"});
  for (const std::string_view field : cookie_fields) request.headers.push_back({"Cookie", field});
  return request;
}

// Expected values are libxxhash 0.8.1's XXH64() of the identity with seed 0x706f727469636f:
// a cookie written by one Portico build or replica must pin on every other.
TEST(SessionCookieValueTest, IsTheSeededXxh64OfTheIdentityInHex) {
  EXPECT_EQ(value_of(session_cookie_key("10.0.0.1:80")), "8b1ea752748d7ac4");
  EXPECT_EQ(value_of(session_cookie_key("[2001:db8::1]:8080")), "23c2a789e956e1a7");
}

TEST(SessionCookieValueTest, NamesEndpointsApartWithoutTheirAddress) {
  std::set<std::string> values;
  for (const Endpoint& endpoint : make_endpoints(50)) {
    const std::string value = value_of(session_cookie_key(endpoint.state->identity));
    EXPECT_EQ(value.find("10."), std::string::npos) << value;
    values.insert(value);
  }
  EXPECT_EQ(values.size(), 50u);
}

TEST(SessionCookieValueTest, ParsesWhatItFormats) {
  for (const uint64_t key : {uint64_t{0}, uint64_t{1}, uint64_t{0xfedcba9876543210ULL},
                             ~uint64_t{0}, session_cookie_key("10.0.0.7:8080")}) {
    const std::string value = value_of(key);
    EXPECT_EQ(value.size(), kSessionCookieValueSize);
    EXPECT_EQ(parse_session_cookie_value(value), key) << value;
  }
  EXPECT_EQ(value_of(1), "0000000000000001");
}

TEST(SessionCookieValueTest, RefusesWhatItNeverWrites) {
  for (const std::string_view bad :
       {"", "8b1ea752748d7ac", "8b1ea752748d7ac40", "8B1EA752748D7AC4", "8b1ea752748d7acg",
        "10.0.0.1:80", " 8b1ea752748d7ac", "8b1ea752748d7ac\n", "-b1ea752748d7ac4"}) {
    EXPECT_EQ(parse_session_cookie_value(bad), std::nullopt) << bad;
  }
}

TEST(RequestedSessionKeyTest, ReadsTheNamedCookieFromAnyCookieField) {
  SessionAffinity affinity;
  affinity.enabled = true;
  affinity.cookie_name = "route";
  const uint64_t key = session_cookie_key("10.0.0.2:80");
  const std::string value = value_of(key);
  const std::string pair = "route=" + value;
  const std::string among = "theme=dark; route=" + value + "; lang=en";

  EXPECT_EQ(requested_session_key(affinity, with_cookies({pair})), key);
  EXPECT_EQ(requested_session_key(affinity, with_cookies({among})), key);
  EXPECT_EQ(requested_session_key(affinity, with_cookies({"theme=dark", pair})), key);
  // Cookie names are case sensitive; a cookie of another name is not ours.
  EXPECT_EQ(requested_session_key(affinity, with_cookies({"Route=" + value})), std::nullopt);
  EXPECT_EQ(requested_session_key(affinity, with_cookies({"PORTICO_AFFINITY=" + value})),
            std::nullopt);
  EXPECT_EQ(requested_session_key(affinity, with_cookies({})), std::nullopt);
  EXPECT_EQ(requested_session_key(affinity, with_cookies({"route=garbage"})), std::nullopt);
  EXPECT_EQ(requested_session_key(affinity, with_cookies({"route="})), std::nullopt);
}

TEST(RequestedSessionKeyTest, NothingWhenAffinityIsOff) {
  SessionAffinity affinity;
  const std::string pair = affinity.cookie_name + "=" + value_of(session_cookie_key("10.0.0.2:80"));
  EXPECT_EQ(requested_session_key(affinity, with_cookies({pair})), std::nullopt);
}

TEST(AddSessionCookieTest, AddsTheFieldBeforeTheEndOfTheHead) {
  SessionAffinity affinity;
  affinity.enabled = true;
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
  add_session_cookie(affinity, 0x0123456789abcdefULL, head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
            "Set-Cookie: PORTICO_AFFINITY=0123456789abcdef; Path=/; HttpOnly\r\n\r\n");
}

TEST(AddSessionCookieTest, WritesTheConfiguredNamePathAndMaxAge) {
  SessionAffinity affinity;
  affinity.enabled = true;
  affinity.cookie_name = "route";
  affinity.path = "/shop";
  affinity.max_age_seconds = 4'294'967'295u;
  std::string head = "HTTP/1.1 204 No Content\r\n\r\n";
  add_session_cookie(affinity, 1, head);
  EXPECT_EQ(head,
            "HTTP/1.1 204 No Content\r\n"
            "Set-Cookie: route=0000000000000001; Path=/shop; Max-Age=4294967295; HttpOnly\r\n\r\n");
}

TEST(SessionCookieIndexTest, FindsEveryEndpointByItsKey) {
  const std::vector<Endpoint> endpoints = make_endpoints(40);
  const SessionCookieIndex index(endpoints);
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    EXPECT_EQ(index.find(session_cookie_key(endpoints[i].state->identity)), i);
  }
  EXPECT_EQ(index.find(session_cookie_key("10.0.0.200:80")), std::nullopt);
  EXPECT_EQ(SessionCookieIndex().find(session_cookie_key("10.0.0.1:80")), std::nullopt);
}

TEST(SessionCookieIndexTest, AKeyFollowsItsEndpointToANewPosition) {
  std::vector<Endpoint> endpoints = make_endpoints(5);
  const uint64_t key = session_cookie_key(endpoints[3].state->identity);
  // The next snapshot lists the endpoints in another order, without the first one.
  std::vector<Endpoint> next(endpoints.rbegin(), endpoints.rend() - 1);
  ASSERT_EQ(next[0].state, endpoints[4].state);
  EXPECT_EQ(SessionCookieIndex(next).pinned(next, key, now_ns()), 1u);
}

TEST(SessionCookieIndexTest, PinsAnAvailableEndpoint) {
  const std::vector<Endpoint> endpoints = make_endpoints(3);
  const SessionCookieIndex index(endpoints);
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    EXPECT_EQ(index.pinned(endpoints, session_cookie_key(endpoints[i].state->identity), now_ns()),
              i);
  }
}

TEST(SessionCookieIndexTest, AnEndpointThatLeftPinsNothing) {
  const std::vector<Endpoint> before = make_endpoints(3);
  const uint64_t key = session_cookie_key(before[2].state->identity);
  const std::vector<Endpoint> after(before.begin(), before.begin() + 2);
  EXPECT_EQ(SessionCookieIndex(after).pinned(after, key, now_ns()), std::nullopt);
}

TEST(SessionCookieIndexTest, AnUnavailableEndpointPinsNothing) {
  const std::vector<Endpoint> endpoints = make_endpoints({1, 1, 0});
  const SessionCookieIndex index(endpoints);
  const int64_t now = now_ns();
  auto key = [&](std::size_t i) { return session_cookie_key(endpoints[i].state->identity); };

  endpoints[0].state->check_passing = false;  // down by active checks
  EXPECT_EQ(index.pinned(endpoints, key(0), now), std::nullopt);
  endpoints[0].state->check_passing = true;
  EXPECT_EQ(index.pinned(endpoints, key(0), now), 0u);

  endpoints[1].state->ejected_until_ns = now + 1'000'000'000;  // ejected by outlier detection
  EXPECT_EQ(index.pinned(endpoints, key(1), now), std::nullopt);
  EXPECT_EQ(index.pinned(endpoints, key(1), now + 2'000'000'000), 1u);  // the ejection ran out

  EXPECT_EQ(index.pinned(endpoints, key(2), now), std::nullopt);  // weight 0: drained
}

TEST(SessionCookieIndexTest, AnIndexOverMoreEndpointsThanGivenPinsNothingOutOfRange) {
  const std::vector<Endpoint> endpoints = make_endpoints(3);
  const SessionCookieIndex index(endpoints);
  const std::span<const Endpoint> fewer(endpoints.data(), 1);
  EXPECT_EQ(index.pinned(fewer, session_cookie_key(endpoints[2].state->identity), now_ns()),
            std::nullopt);
}

}  // namespace
}  // namespace portico::proxy
