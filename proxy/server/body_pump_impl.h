#pragma once
// Template definitions for body_pump.h; include that header, not this one.
//
// The helpers below are plain functions, not coroutines: a nested coroutine costs a frame
// allocation per call, and these run several times per request. Their results are
// temporaries of the co_await expression, so they live until the operation completes.
#include <algorithm>
#include <array>
#include <span>

#include <boost/asio/error.hpp>

namespace portico::proxy {
namespace pump_detail {

inline constexpr std::size_t kMaxGather = 16;
using Gather = std::array<boost::asio::const_buffer, kMaxGather + 1>;

// The buffers to write: the pending head (if any) followed by `parts`; the head counts as
// sent from here on. Arms the write timeout.
inline std::span<const boost::asio::const_buffer> prepare_write(
    Gather& gather, std::string_view& head, const boost::asio::const_buffer* parts,
    std::size_t count, const PumpTimeouts& timeouts) {
  std::size_t used = 0;
  if (!head.empty()) gather[used++] = boost::asio::buffer(head);
  for (std::size_t i = 0; i < count; ++i) gather[used++] = parts[i];
  head = {};
  timeouts.deadline->arm(timeouts.write);
  return {gather.data(), used};
}

inline boost::asio::mutable_buffer prepare_read(FlatBuffer& buffer, const PumpTimeouts& timeouts) {
  timeouts.deadline->arm(timeouts.read);
  return buffer.writable();
}

inline bool failed(const boost::system::error_code& ec, const PumpTimeouts& timeouts) {
  return ec || timeouts.deadline->expired();
}

}  // namespace pump_detail

template <typename Source, typename Sink>
boost::asio::awaitable<PumpResult> pump_body(FlatBuffer& buffer, Source& source, Sink& sink,
                                             std::string_view head, const BodySpec& spec,
                                             http::ChunkedDecoder& decoder,
                                             const PumpTimeouts& timeouts, PumpStats& stats) {
  using http::BodyFraming;
  using pump_detail::failed;
  using pump_detail::prepare_read;
  using pump_detail::prepare_write;
  pump_detail::Gather gather;
  boost::system::error_code ec;

  if (spec.framing == BodyFraming::kContentLength && spec.max_bytes != 0 &&
      spec.content_length > spec.max_bytes) {
    co_return PumpResult::kTooLarge;
  }
  uint64_t remaining = spec.content_length;  // kContentLength only
  uint64_t payload_total = 0;                // kChunked only
  if (spec.framing == BodyFraming::kChunked) decoder.reset();

  for (;;) {
    const bool complete = spec.framing == BodyFraming::kNone ||
                          (spec.framing == BodyFraming::kContentLength && remaining == 0) ||
                          (spec.framing == BodyFraming::kChunked && decoder.done());
    if (complete || buffer.empty()) {
      // Before waiting for body bytes, the head goes out on its own: a streamed response
      // must reach the client before its (possibly slow) body does.
      if (!head.empty()) {
        co_await sink.write_all(prepare_write(gather, head, nullptr, 0, timeouts), ec);
        if (failed(ec, timeouts)) co_return PumpResult::kSinkFailed;
      }
      if (complete) co_return PumpResult::kDone;
      const std::size_t n = co_await source.read_some(prepare_read(buffer, timeouts), ec);
      if (timeouts.deadline->expired()) co_return PumpResult::kSourceFailed;
      if (ec) {
        const bool clean_end =
            spec.framing == BodyFraming::kUntilClose && ec == boost::asio::error::eof;
        co_return clean_end ? PumpResult::kDone : PumpResult::kSourceFailed;
      }
      buffer.commit(n);
    }

    // Forward what the buffer holds of this body, and only that.
    const std::string_view input = buffer.readable();
    std::array<boost::asio::const_buffer, pump_detail::kMaxGather> pieces;
    std::size_t piece_count = 1;
    std::size_t consumed = 0;
    switch (spec.framing) {
      case BodyFraming::kContentLength:
        consumed = static_cast<std::size_t>(std::min<uint64_t>(remaining, input.size()));
        remaining -= consumed;
        pieces[0] = boost::asio::buffer(input.data(), consumed);
        break;
      case BodyFraming::kUntilClose:
        consumed = input.size();
        pieces[0] = boost::asio::buffer(input);
        break;
      case BodyFraming::kChunked:
        piece_count = 0;
        while (consumed < input.size() && piece_count < pieces.size()) {
          const auto step = decoder.step(input.substr(consumed));
          if (step.status == http::ChunkedDecoder::Status::kError)
            co_return PumpResult::kBadFraming;
          payload_total += step.payload.size();
          if (spec.max_bytes != 0 && payload_total > spec.max_bytes)
            co_return PumpResult::kTooLarge;
          consumed += step.consumed;
          if (spec.dechunk && !step.payload.empty()) {
            pieces[piece_count++] = boost::asio::buffer(step.payload.data(), step.payload.size());
          }
          if (step.status == http::ChunkedDecoder::Status::kDone || step.consumed == 0) break;
        }
        if (!spec.dechunk) {
          pieces[0] = boost::asio::buffer(input.data(), consumed);
          piece_count = 1;
        }
        // The decoder keeps partial lines as state, so consuming nothing means it is stuck.
        if (consumed == 0) co_return PumpResult::kBadFraming;
        break;
      case BodyFraming::kNone:
        break;
    }
    co_await sink.write_all(prepare_write(gather, head, pieces.data(), piece_count, timeouts), ec);
    if (failed(ec, timeouts)) co_return PumpResult::kSinkFailed;
    for (std::size_t i = 0; i < piece_count; ++i) stats.bytes_written += pieces[i].size();
    buffer.consume(consumed);
  }
}

}  // namespace portico::proxy
