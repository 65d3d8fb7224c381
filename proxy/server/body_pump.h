#pragma once
// Moves one message body from a source stream to a sink stream through the source's read
// buffer, honouring its framing exactly: no byte of the next message is forwarded, memory
// stays bounded by the buffer, and a head to send first can ride along in the first write.
#include <array>
#include <cstdint>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>

#include "proxy/http/chunked_decoder.h"
#include "proxy/http/request_head.h"
#include "proxy/net/deadline.h"
#include "proxy/net/flat_buffer.h"

namespace portico::proxy {

enum class PumpResult : uint8_t {
  kDone,
  kSourceFailed,  // read error, early EOF or timeout on the source side
  kSinkFailed,    // write error or timeout on the sink side
  kBadFraming,    // invalid chunked encoding
  kTooLarge,      // more than the allowed body size
};

struct BodySpec {
  http::BodyFraming framing = http::BodyFraming::kNone;
  uint64_t content_length = 0;
  uint64_t max_bytes = 0;  // 0: unlimited
  bool dechunk = false;    // send only the chunk payload (for HTTP/1.0 peers)
};

struct PumpTimeouts {
  Deadline* deadline;
  Deadline::Clock::duration read;
  Deadline::Clock::duration write;
};

struct PumpStats {
  uint64_t bytes_written = 0;  // body bytes (after dechunking), not counting the head
};

// Worker thread only. `head` (may be empty) is written before the body.
template <typename Source, typename Sink>
boost::asio::awaitable<PumpResult> pump_body(FlatBuffer& buffer, Source& source, Sink& sink,
                                             std::string_view head, const BodySpec& spec,
                                             http::ChunkedDecoder& decoder,
                                             const PumpTimeouts& timeouts, PumpStats& stats);

}  // namespace portico::proxy

#include "proxy/server/body_pump_impl.h"
