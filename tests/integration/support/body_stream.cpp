#include "tests/integration/support/body_stream.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace portico::testing {
namespace {

constexpr std::size_t kAlphabet = 26;
constexpr std::size_t kBlockBytes = 1 << 20;

}  // namespace

void PatternChecker::operator()(std::string_view bytes) {
  if (intact()) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] != static_cast<char>('a' + (offset_ + i) % kAlphabet)) {
        first_mismatch_ = offset_ + i;
        break;
      }
    }
  }
  offset_ += bytes.size();
}

bool send_large_request(RawConnection& connection, std::string_view head, uint64_t total,
                        BodyFraming framing, std::chrono::milliseconds stall_timeout) {
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(stall_timeout.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>(stall_timeout.count() % 1000 * 1000);
  setsockopt(connection.fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);

  std::string request(head);
  if (framing == BodyFraming::kChunked) {
    request += "\r\nTransfer-Encoding: chunked\r\n\r\n";
  } else {
    request += "\r\nContent-Length: " + std::to_string(total) + "\r\n\r\n";
  }
  if (!connection.send(request)) return false;

  const std::string block(kBlockBytes, 'x');
  for (uint64_t left = total; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(left, block.size()));
    left -= n;
    if (framing == BodyFraming::kChunked) {
      char size_line[24];
      const int length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
      if (!connection.send(std::string_view(size_line, static_cast<std::size_t>(length))))
        return false;
    }
    if (!connection.send(std::string_view(block).substr(0, n))) return false;
    if (framing == BodyFraming::kChunked && !connection.send("\r\n")) return false;
  }
  return framing == BodyFraming::kContentLength || connection.send("0\r\n\r\n");
}

}  // namespace portico::testing
