#include "proxy/balancer/hash_key.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

using boost::asio::ip::make_address;

std::string counting_bytes(std::size_t length) {
  std::string bytes;
  for (std::size_t i = 0; i < length; ++i) bytes += static_cast<char>(i);
  return bytes;
}

// Expected values are libxxhash 0.8.1's XXH64() on the same input; together the lengths
// cover every path: empty, single bytes, the 4-byte step, 8-byte steps and 32-byte stripes.
TEST(HashBytesTest, MatchesTheReferenceXxh64) {
  EXPECT_EQ(hash_bytes(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(hash_bytes("a"), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(hash_bytes("abc"), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(hash_bytes(std::string("\x0a\x00\x00\x01", 4)), 0x49563B5083B99AFFULL);
  EXPECT_EQ(hash_bytes("session-7f3a"), 0x2C55B5927A029A37ULL);
  EXPECT_EQ(hash_bytes("The quick brown fox jumps over the lazy dog"), 0x0B242D361FDA71BCULL);
  EXPECT_EQ(hash_bytes(counting_bytes(100)), 0x6AC1E58032166597ULL);
}

TEST(HashBytesTest, SeedChangesTheHashAsTheReferenceDoes) {
  EXPECT_EQ(hash_bytes("abc", 1), 0xBEA9CA8199328908ULL);
  EXPECT_EQ(hash_bytes(counting_bytes(100), 0x9E3779B97F4A7C15ULL), 0x3B97D91EBA03E785ULL);
}

TEST(HashClientAddressTest, HashesTheAddressBytesInNetworkOrder) {
  EXPECT_EQ(hash_client_address(make_address("10.0.0.1")),
            hash_bytes(std::string("\x0a\x00\x00\x01", 4)));
  const auto v6 = make_address("2001:db8::1").to_v6().to_bytes();
  EXPECT_EQ(hash_client_address(make_address("2001:db8::1")),
            hash_bytes({reinterpret_cast<const char*>(v6.data()), v6.size()}));
}

TEST(HashClientAddressTest, Ipv4MappedAddressHashesAsIpv4) {
  EXPECT_EQ(hash_client_address(make_address("::ffff:10.0.0.1")),
            hash_client_address(make_address("10.0.0.1")));
  EXPECT_NE(hash_client_address(make_address("::10.0.0.1")),
            hash_client_address(make_address("10.0.0.1")));
}

TEST(HashClientAddressTest, DifferentClientsHashApart) {
  EXPECT_NE(hash_client_address(make_address("10.0.0.1")),
            hash_client_address(make_address("10.0.0.2")));
  EXPECT_NE(hash_client_address(make_address("2001:db8::1")),
            hash_client_address(make_address("2001:db8::2")));
}

TEST(CookieValueTest, FindsTheNamedCookieAmongSeveral) {
  const std::string_view header = "theme=dark; session=abc123; lang=en";
  EXPECT_EQ(cookie_value(header, "theme"), "dark");
  EXPECT_EQ(cookie_value(header, "session"), "abc123");
  EXPECT_EQ(cookie_value(header, "lang"), "en");
}

TEST(CookieValueTest, MissingCookieIsNullopt) {
  EXPECT_EQ(cookie_value("theme=dark; lang=en", "session"), std::nullopt);
  EXPECT_EQ(cookie_value("", "session"), std::nullopt);
  EXPECT_EQ(cookie_value("session", "session"), std::nullopt);  // no '=': not a pair
}

TEST(CookieValueTest, NameMustMatchExactlyNotAsPrefixOrSuffix) {
  const std::string_view header =
      "xsession=wrong1; session_id=wrong2; Session=wrong3; session=right";
  EXPECT_EQ(cookie_value(header, "session"), "right");
  EXPECT_EQ(cookie_value("xsession=1; sessionx=2", "session"), std::nullopt);
}

TEST(CookieValueTest, ToleratesSpacesAndTabsAroundPairs) {
  const std::string_view header = "  a=1;b=2 ;\tc = 3 ;   d=4";
  EXPECT_EQ(cookie_value(header, "a"), "1");
  EXPECT_EQ(cookie_value(header, "b"), "2");
  EXPECT_EQ(cookie_value(header, "c"), "3");
  EXPECT_EQ(cookie_value(header, "d"), "4");
}

TEST(CookieValueTest, EmptyValueIsPresentAndEmpty) {
  const std::optional<std::string_view> value = cookie_value("a=1; session=; b=2", "session");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, "");
}

TEST(CookieValueTest, FirstMatchWins) {
  EXPECT_EQ(cookie_value("session=first; session=second", "session"), "first");
}

TEST(CookieValueTest, QuotedValueIsUnquotedAndEqualsSignsInValueKept) {
  EXPECT_EQ(cookie_value("session=\"abc\"; x=1", "session"), "abc");
  EXPECT_EQ(cookie_value("token=a=b==", "token"), "a=b==");
  EXPECT_EQ(cookie_value("q=\"", "q"), "\"");  // a lone quote is not a quoted value
}

TEST(CookieValueTest, ResultPointsIntoTheHeader) {
  const std::string header = "a=1; session=abc";
  const std::optional<std::string_view> value = cookie_value(header, "session");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->data(), header.data() + header.find("abc"));
}

}  // namespace
}  // namespace portico::proxy
