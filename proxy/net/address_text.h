#pragma once
// Text form of a peer address, written once per accepted connection (X-Forwarded-For,
// X-Real-IP, access log). IPv4 is formatted by hand: Asio's to_string() goes through
// inet_ntop and printf, which showed up in the per-connection profile.
#include <string>

#include <boost/asio/ip/address.hpp>

namespace portico::proxy {

// Any thread; pure. Same text as address.to_string().
std::string address_text(const boost::asio::ip::address& address);

}  // namespace portico::proxy
