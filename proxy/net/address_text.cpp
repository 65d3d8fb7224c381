#include "proxy/net/address_text.h"

namespace portico::proxy {

std::string address_text(const boost::asio::ip::address& address) {
  if (!address.is_v4()) return address.to_string();
  const auto bytes = address.to_v4().to_bytes();
  char text[16];  // "255.255.255.255": fits std::string's small buffer, so no allocation
  char* out = text;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned value = bytes[i];
    if (value >= 100) *out++ = static_cast<char>('0' + value / 100);
    if (value >= 10) *out++ = static_cast<char>('0' + value / 10 % 10);
    *out++ = static_cast<char>('0' + value % 10);
    if (i + 1 < bytes.size()) *out++ = '.';
  }
  return std::string(text, out);
}

}  // namespace portico::proxy
