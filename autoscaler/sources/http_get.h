#pragma once
// One bounded HTTP GET for the autoscaler's metric sources, over cpprestsdk. Blocking; call it
// from the autoscaler's own thread, never from a cpprestsdk pool thread (it waits on them).
// Thread-safe: every call has its own client, connection and deadline. Never throws.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portico::autoscaler {

struct HttpReply {
  int status = 0;
  std::string body;
};

// GETs `url` (http:// or https://; an IPv6 host in brackets, "http://[::1]:9090/x") with
// `accept` as the Accept header. The whole exchange, connect to the last body byte, ends by
// `timeout`: a peer that accepts and never answers, or trickles, fails at the deadline. A body
// over `max_body_bytes` is refused. An Error says what failed without the URL; the caller
// names it. Any status is a reply: judging it is the caller's part.
Result<HttpReply> http_get(const std::string& url, std::string_view accept,
                           std::chrono::milliseconds timeout, std::size_t max_body_bytes);

// The start of `body` for an error message: at most 200 bytes, controls replaced by '?',
// "..." when cut.
std::string body_excerpt(std::string_view body);

}  // namespace portico::autoscaler
