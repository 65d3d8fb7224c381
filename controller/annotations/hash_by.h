#pragma once
// portico.io/hash-by: what the hashing algorithms hash, so that requests sharing it reach the
// same endpoint. One of:
//   client-ip      the client's address
//   path           the request path
//   header:<Name>  a request header; Name is an RFC 9110 token, matched case-insensitively
//   cookie:<name>  a cookie; name is an RFC 6265 token, matched exactly
// Setting it without a hashing algorithm selects consistent-hash. Anything else is invalid.
// Pure; any thread.
#include <string>

#include "controller/annotations/annotation_parser.h"
#include "proxy/balancer/balancing_policy.h"

namespace portico::controller::annotations {

inline constexpr char kHashByAnnotation[] = "portico.io/hash-by";

struct HashKey {
  proxy::HashSource source = proxy::HashSource::kClientIp;
  std::string name;  // the header (lower case) or cookie name; empty for the other sources

  bool operator==(const HashKey&) const = default;
};

Parsed<HashKey> parse_hash_by(const Annotations& annotations);

}  // namespace portico::controller::annotations
