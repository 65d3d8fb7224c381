#pragma once
// The pieces the session hashes a request's balancing key with (PickRequest::hash): the
// client address, a header, a cookie or the path. Any thread; pure; no allocation.
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace portico::proxy {

// XXH64 (Yann Collet's xxHash, 64-bit variant), bit for bit what libxxhash's XXH64()
// returns. Implemented here rather than std::hash: a key must reach the same endpoint from
// every worker, every proxy replica and every build, and std::hash promises none of that.
// Input bytes are read little-endian whatever the host.
uint64_t hash_bytes(std::string_view bytes, uint64_t seed = 0);

// hash_bytes over the address bytes in network order: 4 for IPv4, 16 for IPv6. An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack listener reports for an IPv4
// client) hashes as its IPv4 address, so a client keeps its endpoint whichever listener it
// reached. The IPv6 scope id is not part of the key.
uint64_t hash_client_address(const boost::asio::ip::address& address);

// The value of cookie `name` in a Cookie header (RFC 6265 section 4.2.1: name=value pairs
// separated by "; "). Parsed leniently, as servers must: spaces and tabs around pairs, names
// and values are skipped, and a pair without '=' is ignored. Names match exactly and case
// sensitively; the first match wins. A value wrapped in double quotes (a legal cookie-value)
// is returned without them. An empty value is a present, empty cookie, not a missing one.
// The view points into `cookie_header`.
std::optional<std::string_view> cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace portico::proxy
