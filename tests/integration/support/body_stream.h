#pragma once
// Request and response bodies far larger than the test should hold in memory: uploads are
// sent from one fixed buffer, downloads are counted and checked as they arrive.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "tests/integration/support/http_client.h"

namespace portico::testing {

// Checks bytes against portico_echo's /bytes pattern (byte i is 'a' + i % 26) without
// storing them. Single-threaded, like the connection feeding it.
class PatternChecker {
 public:
  void operator()(std::string_view bytes);
  uint64_t bytes() const { return offset_; }
  // Offset of the first byte that broke the pattern, or bytes() when none did.
  uint64_t first_mismatch() const { return first_mismatch_; }
  bool intact() const { return first_mismatch_ == UINT64_MAX; }

 private:
  uint64_t offset_ = 0;
  uint64_t first_mismatch_ = UINT64_MAX;
};

enum class BodyFraming { kContentLength, kChunked };

// Sends a request head (`head` without the blank line; framing headers are added) and
// `total` body bytes. A send that cannot progress for `stall_timeout` fails, so a peer that
// stops reading cannot hang the test. Returns false on any send failure.
bool send_large_request(RawConnection& connection, std::string_view head, uint64_t total,
                        BodyFraming framing,
                        std::chrono::milliseconds stall_timeout = std::chrono::seconds(30));

}  // namespace portico::testing
