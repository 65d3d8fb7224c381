#include "proxy/net/address_text.h"

#include <gtest/gtest.h>

namespace portico::proxy {
namespace {

using boost::asio::ip::make_address;

TEST(AddressText, MatchesAsioForEveryIpv4DigitPattern) {
  for (const char* text : {"0.0.0.0", "127.0.0.1", "10.20.30.40", "9.99.100.255", "255.255.255.255",
                           "1.10.100.0", "192.168.0.1"}) {
    EXPECT_EQ(address_text(make_address(text)), text);
    EXPECT_EQ(address_text(make_address(text)), make_address(text).to_string());
  }
}

TEST(AddressText, SweepsEveryOctetValue) {
  for (unsigned value = 0; value < 256; ++value) {
    const boost::asio::ip::address_v4 address(
        {static_cast<unsigned char>(value), 0, 1, static_cast<unsigned char>(255 - value)});
    EXPECT_EQ(address_text(address), address.to_string()) << value;
  }
}

TEST(AddressText, FormatsIpv6LikeAsio) {
  for (const char* text : {"::1", "2001:db8::8a2e:370:7334", "::ffff:10.0.0.1"}) {
    EXPECT_EQ(address_text(make_address(text)), make_address(text).to_string());
  }
}

}  // namespace
}  // namespace portico::proxy
