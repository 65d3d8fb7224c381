#include "proxy/balancer/request_hash.h"

#include <gtest/gtest.h>

#include "proxy/balancer/hash_key.h"

namespace portico::proxy {
namespace {

using boost::asio::ip::make_address;

http::RequestHead request_with(std::vector<http::HeaderField> headers, std::string_view path) {
  http::RequestHead request;
  request.method = "GET";
  request.path = path;
  request.target = path;
  request.headers = std::move(headers);
  return request;
}

BalancingPolicy consistent(HashSource source, std::string name = "") {
  return BalancingPolicy{Algorithm::kConsistentHash, source, std::move(name), {}};
}

TEST(RequestHashTest, PoliciesThatDoNotHashGiveZero) {
  const auto request = request_with({{"X-User", "alice"}}, "/a");
  for (Algorithm algorithm : {Algorithm::kRoundRobin, Algorithm::kLeastConnections,
                              Algorithm::kRandom, Algorithm::kPowerOfTwoChoices}) {
    EXPECT_EQ(request_hash(BalancingPolicy{algorithm, HashSource::kHeader, "X-User", {}}, request,
                           make_address("10.0.0.1")),
              0u);
  }
}

TEST(RequestHashTest, IpHashAlwaysHashesTheClientAddress) {
  const auto request = request_with({{"X-User", "alice"}}, "/a");
  const BalancingPolicy policy{Algorithm::kIpHash, HashSource::kHeader, "X-User", {}};
  EXPECT_EQ(request_hash(policy, request, make_address("10.0.0.1")),
            hash_client_address(make_address("10.0.0.1")));
  EXPECT_NE(request_hash(policy, request, make_address("10.0.0.1")),
            request_hash(policy, request, make_address("10.0.0.2")));
}

TEST(RequestHashTest, EachSourceHashesWhatItNames) {
  const auto client = make_address("192.0.2.9");
  const auto request = request_with(
      {{"x-user", "alice"}, {"Cookie", "theme=dark; session=abc123"}, {"Cookie", "late=1"}},
      "/cart/items");
  EXPECT_EQ(request_hash(consistent(HashSource::kClientIp), request, client),
            hash_client_address(client));
  // Header names match case-insensitively.
  EXPECT_EQ(request_hash(consistent(HashSource::kHeader, "X-User"), request, client),
            hash_bytes("alice"));
  EXPECT_EQ(request_hash(consistent(HashSource::kCookie, "session"), request, client),
            hash_bytes("abc123"));
  // A later Cookie field is searched too.
  EXPECT_EQ(request_hash(consistent(HashSource::kCookie, "late"), request, client),
            hash_bytes("1"));
  EXPECT_EQ(request_hash(consistent(HashSource::kPath), request, client),
            hash_bytes("/cart/items"));
}

TEST(RequestHashTest, AMissingKeyHashesAsEmptySoSuchRequestsStayTogether) {
  const auto client = make_address("192.0.2.9");
  const auto request = request_with({}, "/");
  EXPECT_EQ(request_hash(consistent(HashSource::kHeader, "X-User"), request, client),
            hash_bytes(""));
  EXPECT_EQ(request_hash(consistent(HashSource::kCookie, "session"), request, client),
            hash_bytes(""));
}

TEST(RequestCookieTest, FindsTheCookieInAnyCookieFieldAndTellsAbsentFromEmpty) {
  const auto request = request_with({{"Cookie", "theme=dark; session=abc123"},
                                     {"X-Cookie", "fake=1"},
                                     {"cookie", "late=1; blank="}},
                                    "/");
  EXPECT_EQ(request_cookie(request, "session"), "abc123");
  EXPECT_EQ(request_cookie(request, "late"), "1");  // field names fold case
  EXPECT_EQ(request_cookie(request, "blank"), "");
  EXPECT_EQ(request_cookie(request, "fake"), std::nullopt);
  EXPECT_EQ(request_cookie(request, "Session"), std::nullopt);  // cookie names do not
  EXPECT_EQ(request_cookie(request_with({}, "/"), "session"), std::nullopt);
}

}  // namespace
}  // namespace portico::proxy
