#include "proxy/server/body_pump.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace portico::proxy {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using http::BodyFraming;

// Reads and writes of both fake streams, in the order they happened.
using Journal = std::vector<std::string>;

// In-memory stand-in for TcpStream: reads hand out a script in chunks of a chosen size, then
// EOF; writes are captured. Single-threaded, like the worker it stands in for.
class FakeStream {
 public:
  FakeStream(asio::io_context& context, Journal& journal, std::string name)
      : gate_(context), journal_(journal), name_(std::move(name)) {}

  void feed(std::string input, std::size_t read_chunk) {
    input_ = std::move(input);
    read_chunk_ = read_chunk;
  }
  // Reads wait until release(): the peer has sent nothing yet.
  void hold_reads() {
    held_ = true;
    gate_.expires_at(asio::steady_timer::time_point::max());
  }
  void release() { gate_.cancel(); }
  void fail_reads_with(error_code ec) { read_error_ = ec; }
  void fail_writes_with(error_code ec) { write_error_ = ec; }
  void on_read(std::function<void()> action) { on_read_ = std::move(action); }

  std::string unread() const { return input_.substr(position_); }
  const std::string& output() const { return output_; }
  const std::vector<std::string>& writes() const { return writes_; }
  bool waiting_to_read() const { return waiting_; }

  template <typename MutableBuffer>
  asio::awaitable<std::size_t> read_some(const MutableBuffer& buffer, error_code& ec) {
    if (held_) {
      waiting_ = true;
      error_code ignored;
      co_await gate_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      waiting_ = false;
      held_ = false;
    }
    journal_.push_back(name_ + " read");
    if (on_read_) on_read_();
    if (read_error_) {
      ec = read_error_;
      co_return 0;
    }
    if (position_ == input_.size()) {
      ec = asio::error::eof;
      co_return 0;
    }
    const std::size_t n = std::min({read_chunk_, buffer.size(), input_.size() - position_});
    std::memcpy(buffer.data(), input_.data() + position_, n);
    position_ += n;
    ec = {};
    co_return n;
  }

  template <typename ConstBuffers>
  asio::awaitable<std::size_t> write_all(const ConstBuffers& buffers, error_code& ec) {
    std::string written;
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      const asio::const_buffer part(*it);
      written.append(static_cast<const char*>(part.data()), part.size());
    }
    journal_.push_back(name_ + " write " + written);
    if (write_error_) {
      ec = write_error_;
      co_return 0;
    }
    output_ += written;
    writes_.push_back(written);
    ec = {};
    co_return written.size();
  }

  void shutdown_send() {}
  void cancel() { gate_.cancel(); }
  void close() {}

 private:
  asio::steady_timer gate_;
  Journal& journal_;
  std::string name_;
  std::string input_;
  std::size_t read_chunk_ = 1;
  std::size_t position_ = 0;
  bool held_ = false;
  bool waiting_ = false;
  error_code read_error_;
  error_code write_error_;
  std::function<void()> on_read_;
  std::string output_;
  std::vector<std::string> writes_;
};

class NoopOwner final : public DeadlineOwner {
 public:
  void on_deadline() override {}
};

constexpr std::string_view kHead = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
constexpr std::string_view kNext = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
// Extensions, several chunks, a trailer: everything passthrough must keep byte for byte.
constexpr std::string_view kChunkedBody =
    "5\r\nhello\r\n"
    "1;name=value\r\n \r\n"
    "b;q=\"x y\"\r\nchunked wor\r\n"
    "2\r\nld\r\n"
    "0\r\n"
    "Trailer-One: 1\r\n"
    "Trailer-Two: two\r\n"
    "\r\n";
constexpr std::string_view kChunkedPayload = "hello chunked world";

class BodyPumpTest : public ::testing::Test {
 protected:
  // Runs one pump to completion with `head` written first.
  PumpResult pump(std::string_view head, const BodySpec& spec) {
    asio::co_spawn(context_,
                   pump_body(buffer_, source_, sink_, head, spec, decoder_, timeouts_, stats_),
                   [this](std::exception_ptr error, PumpResult result) {
                     EXPECT_FALSE(error) << "the pump threw";
                     result_ = result;
                   });
    context_.run();
    EXPECT_TRUE(result_.has_value()) << "the pump did not finish";
    return result_.value_or(PumpResult::kBadFraming);
  }

  // What the pump left unread: bytes in its buffer, then those the source still holds.
  std::string leftover() const { return std::string(buffer_.readable()) + source_.unread(); }

  void prefill(std::string_view bytes) {
    const asio::mutable_buffer room = buffer_.writable();
    ASSERT_GE(room.size(), bytes.size());
    std::memcpy(room.data(), bytes.data(), bytes.size());
    buffer_.commit(bytes.size());
  }

  asio::io_context context_;
  Journal journal_;
  FakeStream source_{context_, journal_, "source"};
  FakeStream sink_{context_, journal_, "sink"};
  FlatBuffer buffer_{64};
  http::ChunkedDecoder decoder_;
  DeadlineList deadlines_;
  NoopOwner owner_;
  Deadline deadline_{deadlines_, owner_};
  PumpTimeouts timeouts_{&deadline_, std::chrono::hours(1), std::chrono::hours(1)};
  PumpStats stats_;
  std::optional<PumpResult> result_;
};

BodySpec content_length(uint64_t length, uint64_t max_bytes = 0) {
  BodySpec spec;
  spec.framing = BodyFraming::kContentLength;
  spec.content_length = length;
  spec.max_bytes = max_bytes;
  return spec;
}

BodySpec chunked(bool dechunk = false, uint64_t max_bytes = 0) {
  BodySpec spec;
  spec.framing = BodyFraming::kChunked;
  spec.dechunk = dechunk;
  spec.max_bytes = max_bytes;
  return spec;
}

BodySpec until_close() {
  BodySpec spec;
  spec.framing = BodyFraming::kUntilClose;
  return spec;
}

// Read sizes from one byte at a time to more than the buffer holds.
class BodyPumpChunkingTest : public BodyPumpTest,
                             public ::testing::WithParamInterface<std::size_t> {};

TEST_P(BodyPumpChunkingTest, ContentLengthStopsExactlyAtTheLength) {
  source_.feed("hello" + std::string(kNext), GetParam());
  EXPECT_EQ(pump(kHead, content_length(5)), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + "hello");
  EXPECT_EQ(leftover(), kNext);
  EXPECT_EQ(stats_.bytes_written, 5u);
}

TEST_P(BodyPumpChunkingTest, ContentLengthLargerThanTheBuffer) {
  std::string body;
  for (int i = 0; i < 500; ++i) body += static_cast<char>('a' + i % 26);
  source_.feed(body + std::string(kNext), GetParam());
  EXPECT_EQ(pump(kHead, content_length(body.size())), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + body);
  EXPECT_EQ(leftover(), kNext);
  EXPECT_EQ(stats_.bytes_written, body.size());
}

TEST_P(BodyPumpChunkingTest, ChunkedPassesThroughByteForByteAndStopsAtTheEnd) {
  source_.feed(std::string(kChunkedBody) + std::string(kNext), GetParam());
  EXPECT_EQ(pump(kHead, chunked()), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + std::string(kChunkedBody));
  EXPECT_EQ(leftover(), kNext);
  EXPECT_EQ(stats_.bytes_written, kChunkedBody.size());
}

TEST_P(BodyPumpChunkingTest, DechunkEmitsOnlyThePayload) {
  source_.feed(std::string(kChunkedBody) + std::string(kNext), GetParam());
  EXPECT_EQ(pump(kHead, chunked(/*dechunk=*/true)), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + std::string(kChunkedPayload));
  EXPECT_EQ(leftover(), kNext);
  EXPECT_EQ(stats_.bytes_written, kChunkedPayload.size());
}

TEST_P(BodyPumpChunkingTest, UntilCloseForwardsEverythingUntilEof) {
  std::string body;
  for (int i = 0; i < 300; ++i) body += static_cast<char>('A' + i % 26);
  source_.feed(body, GetParam());
  EXPECT_EQ(pump(kHead, until_close()), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + body);
  EXPECT_EQ(stats_.bytes_written, body.size());
}

TEST_P(BodyPumpChunkingTest, BadChunkFramingIsRefused) {
  source_.feed("5\r\nhelloXX\r\n0\r\n\r\n", GetParam());  // data not followed by CRLF
  EXPECT_EQ(pump(kHead, chunked()), PumpResult::kBadFraming);
}

TEST_P(BodyPumpChunkingTest, EarlyEofInContentLengthIsASourceFailure) {
  source_.feed("only", GetParam());
  EXPECT_EQ(pump(kHead, content_length(10)), PumpResult::kSourceFailed);
  EXPECT_EQ(sink_.output(), std::string(kHead) + "only");
}

TEST_P(BodyPumpChunkingTest, EarlyEofInChunkedIsASourceFailure) {
  source_.feed("5\r\nhello\r\n3\r\nab", GetParam());
  EXPECT_EQ(pump(kHead, chunked()), PumpResult::kSourceFailed);
}

INSTANTIATE_TEST_SUITE_P(ReadSizes, BodyPumpChunkingTest, ::testing::Values(1, 2, 3, 7, 64, 4096),
                         [](const ::testing::TestParamInfo<std::size_t>& read) {
                           return "Read" + std::to_string(read.param);
                         });

TEST_F(BodyPumpTest, BodyAlreadyBufferedGoesOutWithTheHeadWithoutReading) {
  prefill("hello" + std::string(kNext));
  source_.feed("must not be read", 64);
  EXPECT_EQ(pump(kHead, content_length(5)), PumpResult::kDone);
  ASSERT_EQ(sink_.writes().size(), 1u);
  EXPECT_EQ(sink_.writes()[0], std::string(kHead) + "hello");
  EXPECT_EQ(buffer_.readable(), kNext);
  EXPECT_EQ(source_.unread(), "must not be read");
}

TEST_F(BodyPumpTest, PartlyBufferedBodyIsCompletedFromTheSource) {
  prefill("hel");
  source_.feed("lo" + std::string(kNext), 64);
  EXPECT_EQ(pump(kHead, content_length(5)), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + "hello");
  EXPECT_EQ(leftover(), kNext);
}

TEST_F(BodyPumpTest, HeadIsWrittenAloneBeforeWaitingForTheBody) {
  source_.feed("hello", 64);
  EXPECT_EQ(pump(kHead, content_length(5)), PumpResult::kDone);
  const Journal expected = {"sink write " + std::string(kHead), "source read", "sink write hello"};
  EXPECT_EQ(journal_, expected);
}

TEST_F(BodyPumpTest, StreamedResponseHeadDoesNotWaitForItsBody) {
  for (const BodySpec& spec : {content_length(5), chunked(), chunked(true), until_close()}) {
    SCOPED_TRACE(static_cast<int>(spec.framing));
    context_.restart();
    result_.reset();
    FakeStream source(context_, journal_, "source");
    FakeStream sink(context_, journal_, "sink");
    source.feed(spec.framing == BodyFraming::kChunked ? "5\r\nhello\r\n0\r\n\r\n" : "hello", 64);
    source.hold_reads();
    asio::co_spawn(context_,
                   pump_body(buffer_, source, sink, kHead, spec, decoder_, timeouts_, stats_),
                   [this](std::exception_ptr, PumpResult result) { result_ = result; });
    context_.poll();
    // The source has sent nothing yet: the pump waits for it with the head delivered.
    ASSERT_TRUE(source.waiting_to_read());
    EXPECT_EQ(sink.output(), kHead);
    EXPECT_FALSE(result_.has_value());

    source.release();
    context_.run();
    EXPECT_EQ(result_, PumpResult::kDone);
    EXPECT_TRUE(sink.output().starts_with(kHead));
    EXPECT_GT(sink.output().size(), kHead.size());
  }
}

TEST_F(BodyPumpTest, NoBodyWritesOnlyTheHead) {
  source_.feed("unrelated", 64);
  EXPECT_EQ(pump(kHead, BodySpec{}), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), kHead);
  EXPECT_EQ(source_.unread(), "unrelated");
  EXPECT_EQ(stats_.bytes_written, 0u);
}

TEST_F(BodyPumpTest, EmptyHeadWritesOnlyTheBody) {
  source_.feed("hello", 64);
  EXPECT_EQ(pump("", content_length(5)), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), "hello");
  for (const std::string& write : sink_.writes()) EXPECT_FALSE(write.empty());
}

TEST_F(BodyPumpTest, ContentLengthAboveTheLimitIsTooLarge) {
  source_.feed("0123456789", 64);
  EXPECT_EQ(pump(kHead, content_length(10, /*max_bytes=*/9)), PumpResult::kTooLarge);
  EXPECT_EQ(sink_.output().find("0123"), std::string::npos) << "body bytes forwarded";
}

TEST_F(BodyPumpTest, ContentLengthAtTheLimitPasses) {
  source_.feed("0123456789", 64);
  EXPECT_EQ(pump(kHead, content_length(10, /*max_bytes=*/10)), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + "0123456789");
}

TEST_F(BodyPumpTest, ChunkedAboveTheLimitIsTooLargeAndStopsForwarding) {
  source_.feed(std::string(kChunkedBody), 4096);
  const uint64_t limit = kChunkedPayload.size() - 1;
  EXPECT_EQ(pump(kHead, chunked(/*dechunk=*/true, limit)), PumpResult::kTooLarge);
  ASSERT_TRUE(sink_.output().starts_with(kHead)) << sink_.output();
  EXPECT_LE(sink_.output().size() - kHead.size(), limit);
}

TEST_F(BodyPumpTest, ChunkedPassthroughAboveTheLimitIsTooLarge) {
  source_.feed(std::string(kChunkedBody), 3);
  EXPECT_EQ(pump(kHead, chunked(false, kChunkedPayload.size() - 1)), PumpResult::kTooLarge);
}

TEST_F(BodyPumpTest, ChunkedAtTheLimitPasses) {
  source_.feed(std::string(kChunkedBody), 4096);
  EXPECT_EQ(pump(kHead, chunked(false, kChunkedPayload.size())), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), std::string(kHead) + std::string(kChunkedBody));
}

TEST_F(BodyPumpTest, NonHexChunkSizeIsBadFraming) {
  source_.feed("zz\r\nhello\r\n0\r\n\r\n", 4096);
  EXPECT_EQ(pump(kHead, chunked()), PumpResult::kBadFraming);
}

TEST_F(BodyPumpTest, ManySmallChunksInOneReadAreAllDechunked) {
  // More chunks than one gathered write carries.
  std::string body;
  std::string payload;
  for (int i = 0; i < 40; ++i) {
    const char c = static_cast<char>('a' + i % 26);
    body += "1\r\n";
    body += c;
    body += "\r\n";
    payload += c;
  }
  body += "0\r\n\r\n";
  buffer_ = FlatBuffer(1024);
  source_.feed(body + std::string(kNext), 4096);
  EXPECT_EQ(pump("", chunked(/*dechunk=*/true)), PumpResult::kDone);
  EXPECT_EQ(sink_.output(), payload);
  EXPECT_EQ(leftover(), kNext);
}

TEST_F(BodyPumpTest, ReadErrorIsASourceFailure) {
  source_.fail_reads_with(asio::error::connection_reset);
  EXPECT_EQ(pump(kHead, until_close()), PumpResult::kSourceFailed);
}

TEST_F(BodyPumpTest, WriteErrorIsASinkFailure) {
  source_.feed("hello", 64);
  sink_.fail_writes_with(asio::error::broken_pipe);
  EXPECT_EQ(pump(kHead, content_length(5)), PumpResult::kSinkFailed);
}

TEST_F(BodyPumpTest, ReadTimeoutIsASourceFailure) {
  source_.feed("hello", 64);
  // The worker's sweep runs while the read is pending and finds the deadline due.
  source_.on_read([this] { deadlines_.expire_all(); });
  EXPECT_EQ(pump(kHead, content_length(5)), PumpResult::kSourceFailed);
  EXPECT_EQ(sink_.output(), kHead);
}

}  // namespace
}  // namespace portico::proxy
