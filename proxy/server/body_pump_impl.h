#pragma once
// Template definitions for body_pump.h; include that header, not this one.
#include <algorithm>
#include <array>
#include <span>

#include <boost/asio/error.hpp>

namespace portico::proxy {
namespace pump_detail {

inline constexpr std::size_t kMaxGather = 16;

// Writes the pending head (if any) followed by `parts`; clears the head once sent.
template <typename Sink>
boost::asio::awaitable<bool> write_with_head(Sink& sink, std::string_view& head,
                                             const boost::asio::const_buffer* parts,
                                             std::size_t count, const PumpTimeouts& timeouts) {
  std::array<boost::asio::const_buffer, kMaxGather + 1> gather;
  std::size_t used = 0;
  if (!head.empty()) gather[used++] = boost::asio::buffer(head);
  for (std::size_t i = 0; i < count; ++i) gather[used++] = parts[i];
  if (used == 0) co_return true;
  timeouts.deadline->arm(timeouts.write);
  boost::system::error_code ec;
  co_await sink.write_all(std::span(gather.data(), used), ec);
  head = {};
  co_return !ec && !timeouts.deadline->expired();
}

enum class ReadOutcome : uint8_t { kData, kEof, kFailed };

template <typename Source>
boost::asio::awaitable<ReadOutcome> read_more(Source& source, FlatBuffer& buffer,
                                              const PumpTimeouts& timeouts) {
  timeouts.deadline->arm(timeouts.read);
  boost::system::error_code ec;
  const std::size_t n = co_await source.read_some(buffer.writable(), ec);
  if (timeouts.deadline->expired()) co_return ReadOutcome::kFailed;
  if (ec) co_return ec == boost::asio::error::eof ? ReadOutcome::kEof : ReadOutcome::kFailed;
  buffer.commit(n);
  co_return ReadOutcome::kData;
}

}  // namespace pump_detail

template <typename Source, typename Sink>
boost::asio::awaitable<PumpResult> pump_body(FlatBuffer& buffer, Source& source, Sink& sink,
                                             std::string_view head, const BodySpec& spec,
                                             http::ChunkedDecoder& decoder,
                                             const PumpTimeouts& timeouts, PumpStats& stats) {
  using pump_detail::ReadOutcome;
  using pump_detail::read_more;
  using pump_detail::write_with_head;
  using http::BodyFraming;

  // Before waiting for body bytes, the head goes out on its own: a streamed response must
  // reach the client before its (possibly slow) body does.
  auto flush_head = [&]() { return write_with_head(sink, head, nullptr, 0, timeouts); };

  switch (spec.framing) {
    case BodyFraming::kNone: {
      const bool flushed = co_await flush_head();
      co_return flushed ? PumpResult::kDone : PumpResult::kSinkFailed;
    }

    case BodyFraming::kContentLength: {
      if (spec.max_bytes != 0 && spec.content_length > spec.max_bytes) co_return PumpResult::kTooLarge;
      uint64_t remaining = spec.content_length;
      while (remaining > 0) {
        if (buffer.empty()) {
          if (!co_await flush_head()) co_return PumpResult::kSinkFailed;
          if (co_await read_more(source, buffer, timeouts) != ReadOutcome::kData) {
            co_return PumpResult::kSourceFailed;
          }
        }
        const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(remaining, buffer.size()));
        const boost::asio::const_buffer part = boost::asio::buffer(buffer.readable().data(), n);
        if (!co_await write_with_head(sink, head, &part, 1, timeouts)) co_return PumpResult::kSinkFailed;
        buffer.consume(n);
        remaining -= n;
        stats.bytes_written += n;
      }
      const bool flushed = co_await flush_head();
      co_return flushed ? PumpResult::kDone : PumpResult::kSinkFailed;
    }

    case BodyFraming::kChunked: {
      decoder.reset();
      uint64_t payload_total = 0;
      while (!decoder.done()) {
        if (buffer.empty()) {
          if (!co_await flush_head()) co_return PumpResult::kSinkFailed;
          if (co_await read_more(source, buffer, timeouts) != ReadOutcome::kData) {
            co_return PumpResult::kSourceFailed;
          }
        }
        const std::string_view input = buffer.readable();
        std::array<boost::asio::const_buffer, pump_detail::kMaxGather> pieces;
        std::size_t piece_count = 0;
        std::size_t consumed = 0;
        while (consumed < input.size() && piece_count < pieces.size()) {
          const auto step = decoder.step(input.substr(consumed));
          if (step.status == http::ChunkedDecoder::Status::kError) co_return PumpResult::kBadFraming;
          payload_total += step.payload.size();
          if (spec.max_bytes != 0 && payload_total > spec.max_bytes) co_return PumpResult::kTooLarge;
          consumed += step.consumed;
          if (spec.dechunk && !step.payload.empty()) {
            pieces[piece_count++] = boost::asio::buffer(step.payload.data(), step.payload.size());
          }
          if (step.status == http::ChunkedDecoder::Status::kDone || step.consumed == 0) break;
        }
        if (!spec.dechunk) {
          pieces[0] = boost::asio::buffer(input.data(), consumed);
          piece_count = consumed > 0 ? 1 : 0;
        }
        if (!co_await write_with_head(sink, head, pieces.data(), piece_count, timeouts)) {
          co_return PumpResult::kSinkFailed;
        }
        for (std::size_t i = 0; i < piece_count; ++i) stats.bytes_written += pieces[i].size();
        buffer.consume(consumed);
        if (consumed == 0 && !decoder.done()) {
          // The decoder keeps partial lines as state, so this means the buffer is stuck.
          co_return PumpResult::kBadFraming;
        }
      }
      const bool flushed = co_await flush_head();
      co_return flushed ? PumpResult::kDone : PumpResult::kSinkFailed;
    }

    case BodyFraming::kUntilClose:
      for (;;) {
        if (buffer.empty()) {
          if (!co_await flush_head()) co_return PumpResult::kSinkFailed;
          const ReadOutcome outcome = co_await read_more(source, buffer, timeouts);
          if (outcome == ReadOutcome::kEof) co_return PumpResult::kDone;
          if (outcome == ReadOutcome::kFailed) co_return PumpResult::kSourceFailed;
        }
        const boost::asio::const_buffer part = boost::asio::buffer(buffer.readable());
        if (!co_await write_with_head(sink, head, &part, 1, timeouts)) co_return PumpResult::kSinkFailed;
        stats.bytes_written += part.size();
        buffer.consume(part.size());
      }
  }
  co_return PumpResult::kBadFraming;
}

}  // namespace portico::proxy
