#include "proxy/http/chunked_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace portico::proxy::http {
namespace {

using namespace std::string_literals;

using Status = ChunkedDecoder::Status;

struct Decoded {
  Status status = Status::kNeedMore;
  std::string payload;
  std::size_t consumed = 0;  // total bytes of `wire` the decoder used
};

// Feeds `wire` in pieces ending at `cuts` (then the rest), the way a session does: step until
// nothing more is consumed, then wait for the next read.
Decoded decode(std::string_view wire, const std::vector<std::size_t>& cuts = {},
               std::size_t max_trailer_bytes = 16 * 1024) {
  ChunkedDecoder decoder(max_trailer_bytes);
  Decoded out;
  std::size_t available = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    available = i < cuts.size() ? cuts[i] : wire.size();
    for (;;) {
      const std::string_view input = wire.substr(out.consumed, available - out.consumed);
      const ChunkedDecoder::Step step = decoder.step(input);
      EXPECT_LE(step.consumed, input.size());
      if (!step.payload.empty()) {
        // The payload is a view into the consumed part of the input, never a copy.
        EXPECT_GE(step.payload.data(), input.data());
        EXPECT_LE(step.payload.data() + step.payload.size(), input.data() + step.consumed);
      }
      out.payload.append(step.payload);
      out.consumed += step.consumed;
      out.status = step.status;
      if (step.status != Status::kNeedMore) {
        EXPECT_EQ(decoder.done(), step.status == Status::kDone);
        return out;
      }
      if (step.consumed == 0) break;
    }
  }
  return out;
}

constexpr std::string_view kBody =
    "5\r\nhello\r\n"
    "1A;name=value ; flag ;q=\"a \\\"b\\\";c\"\r\n"
    "abcdefghijklmnopqrstuvwxyz\r\n"
    "00000000000000F\r\n0123456789abcde\r\n"
    "0\r\nX-Checksum: abc\r\nX-Empty:\r\n\r\n";
constexpr std::string_view kPayload = "helloabcdefghijklmnopqrstuvwxyz0123456789abcde";

TEST(ChunkedDecoder, DecodesChunksExtensionsAndTrailers) {
  const Decoded d = decode(kBody);
  EXPECT_EQ(d.status, Status::kDone);
  EXPECT_EQ(d.payload, kPayload);
  EXPECT_EQ(d.consumed, kBody.size());
}

TEST(ChunkedDecoder, SplitAtEveryByteBoundary) {
  for (std::size_t cut = 0; cut <= kBody.size(); ++cut) {
    const Decoded d = decode(kBody, {cut});
    EXPECT_EQ(d.status, Status::kDone) << "cut at " << cut;
    EXPECT_EQ(d.payload, kPayload) << "cut at " << cut;
    EXPECT_EQ(d.consumed, kBody.size()) << "cut at " << cut;
  }
}

TEST(ChunkedDecoder, ByteByByte) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < kBody.size(); ++i) cuts.push_back(i);
  const Decoded d = decode(kBody, cuts);
  EXPECT_EQ(d.status, Status::kDone);
  EXPECT_EQ(d.payload, kPayload);
}

TEST(ChunkedDecoder, RandomSplitsWithAFixedSeed) {
  std::mt19937 random(20240601);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t at = 0;
    while (at < kBody.size()) {
      at += std::uniform_int_distribution<std::size_t>(1, 12)(random);
      cuts.push_back(std::min(at, kBody.size()));
    }
    const Decoded d = decode(kBody, cuts);
    ASSERT_EQ(d.status, Status::kDone) << "round " << round;
    ASSERT_EQ(d.payload, kPayload) << "round " << round;
  }
}

TEST(ChunkedDecoder, StopsAtTheEndOfTheBody) {
  const std::string wire = "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
  const Decoded d = decode(wire);
  EXPECT_EQ(d.status, Status::kDone);
  EXPECT_EQ(d.consumed, wire.find("GET"));
}

TEST(ChunkedDecoder, LargeChunkArrivesInPieces) {
  ChunkedDecoder decoder;
  const ChunkedDecoder::Step head = decoder.step("ffffffffffffffff\r\nabc");
  EXPECT_EQ(head.status, Status::kNeedMore);
  EXPECT_EQ(head.consumed, 21u);
  EXPECT_EQ(head.payload, "abc");
  const ChunkedDecoder::Step more = decoder.step("defg");
  EXPECT_EQ(more.consumed, 4u);
  EXPECT_EQ(more.payload, "defg");
  EXPECT_EQ(decoder.step("").consumed, 0u);
}

TEST(ChunkedDecoder, ErrorIsStickyAndResetStartsOver) {
  ChunkedDecoder decoder;
  EXPECT_EQ(decoder.step("g\r\n").status, Status::kError);
  const ChunkedDecoder::Step after = decoder.step("0\r\n\r\n");
  EXPECT_EQ(after.status, Status::kError);
  EXPECT_EQ(after.consumed, 0u);
  EXPECT_EQ(decoder.step("").status, Status::kError);
  decoder.reset();
  EXPECT_FALSE(decoder.done());
  // Reset in the middle of a chunk forgets the bytes it still expected.
  EXPECT_EQ(decoder.step("5\r\nab").payload, "ab");
  decoder.reset();
  const ChunkedDecoder::Step step = decoder.step("0\r\n\r\n");
  EXPECT_EQ(step.status, Status::kDone);
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(decoder.step("").status, Status::kDone);
  EXPECT_EQ(decoder.step("1").consumed, 0u);
}

TEST(ChunkedDecoder, TrailerLimit) {
  const std::string trailers = "0\r\nX-T: 12345\r\n\r\n";  // 14 trailer bytes after "0\r\n"
  EXPECT_EQ(decode(trailers, {}, 14).status, Status::kDone);
  EXPECT_EQ(decode(trailers, {}, 13).status, Status::kError);
}

TEST(ChunkedDecoder, ExtensionLengthIsBounded) {
  const std::string fits = "1;x=" + std::string(4090, 'v') + "\r\na\r\n0\r\n\r\n";
  EXPECT_EQ(decode(fits).status, Status::kDone);
  const std::string too_long = "1;x=" + std::string(4100, 'v') + "\r\na\r\n0\r\n\r\n";
  EXPECT_EQ(decode(too_long).status, Status::kError);
}

struct Accepted {
  const char* name;
  std::string wire;
  std::string payload;
};

const Accepted kAccepted[] = {
    {"upper_and_lower_hex", "aB\r\n" + std::string(0xab, 'x') + "\r\n0\r\n\r\n",
     std::string(0xab, 'x')},
    {"sixteen_digits", "0000000000000002\r\nab\r\n0\r\n\r\n", "ab"},
    {"bws_before_semicolon", "2 \t;ext\r\nab\r\n0\r\n\r\n", "ab"},
    {"bws_around_equals", "2;a \t= \tb ; c\r\nab\r\n0\r\n\r\n", "ab"},
    {"quoted_value_with_pair", "2;a=\"x\\\"y z\"\r\nab\r\n0\r\n\r\n", "ab"},
    {"last_chunk_extension", "0;done=1\r\n\r\n", ""},
    {"last_chunk_leading_zeros", "000\r\n\r\n", ""},
    {"trailer_obs_text", "0\r\nX-T: \xc3\xa9\r\n\r\n", ""},
};

class AcceptedBody : public testing::TestWithParam<Accepted> {};

TEST_P(AcceptedBody, Decodes) {
  const Decoded d = decode(GetParam().wire);
  EXPECT_EQ(d.status, Status::kDone);
  EXPECT_EQ(d.payload, GetParam().payload);
  EXPECT_EQ(d.consumed, GetParam().wire.size());
}

INSTANTIATE_TEST_SUITE_P(Valid, AcceptedBody, testing::ValuesIn(kAccepted),
                         [](const testing::TestParamInfo<Accepted>& test) {
                           return std::string(test.param.name);
                         });

struct Refused {
  const char* name;
  std::string wire;
};

const Refused kRefused[] = {
    {"seventeen_digits", "fffffffffffffffff\r\n"},
    {"seventeen_digits_leading_zeros", "00000000000000001\r\na\r\n0\r\n\r\n"},
    {"negative", "-1\r\n"},
    {"not_hex", "g\r\n"},
    {"hex_prefix", "0x5\r\nhello\r\n0\r\n\r\n"},
    {"empty_size", "\r\nhello\r\n0\r\n\r\n"},
    {"empty_last_chunk_size", "\r\n\r\n"},
    {"leading_space", " 5\r\nhello\r\n0\r\n\r\n"},
    {"bws_before_crlf", "5 \r\nhello\r\n0\r\n\r\n"},
    {"empty_extension_name", "5;\r\nhello\r\n0\r\n\r\n"},
    {"extension_without_name", "5;=v\r\nhello\r\n0\r\n\r\n"},
    {"extension_without_value", "5;a=\r\nhello\r\n0\r\n\r\n"},
    {"extension_bad_char", "5;a@b\r\nhello\r\n0\r\n\r\n"},
    {"extension_bws_after_value", "5;a=b \r\nhello\r\n0\r\n\r\n"},
    {"extension_unterminated_quote", "5;a=\"b\r\nhello\r\n0\r\n\r\n"},
    {"extension_text_after_quote", "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n"},
    {"extension_ctl_in_quote", "5;a=\"\x01\"\r\nhello\r\n0\r\n\r\n"},
    {"extension_ctl_in_quoted_pair", "5;a=\"\\\x01\"\r\nhello\r\n0\r\n\r\n"},
    {"size_bare_lf", "5\nhello\r\n0\r\n\r\n"},
    {"size_bare_cr", "5\rhello\r\n0\r\n\r\n"},
    {"size_cr_then_junk", "5\rXhello\r\n0\r\n\r\n"},
    {"data_too_long", "5\r\nhelloX\r\n0\r\n\r\n"},
    {"data_bare_lf", "5\r\nhello\n0\r\n\r\n"},
    {"data_junk_then_lf", "5\r\nhelloX\n0\r\n\r\n"},
    {"data_cr_then_junk", "5\r\nhello\rX0\r\n\r\n"},
    {"data_cr_without_lf", "5\r\nhello\r0\r\n\r\n"},
    {"last_chunk_bare_lf", "0\n\r\n"},
    {"final_bare_lf", "0\r\n\n"},
    {"final_bare_cr", "0\r\n\rX"},
    {"trailer_obs_fold", "0\r\nX-T: a\r\n b\r\n\r\n"},
    {"trailer_obs_fold_like_a_field", "0\r\nX-T: a\r\n X-U: b\r\n\r\n"},
    {"trailer_cr_then_junk", "0\r\nX-T: a\rX\r\n"},
    {"trailer_space_before_colon", "0\r\nX-T : a\r\n\r\n"},
    {"trailer_empty_name", "0\r\n: a\r\n\r\n"},
    {"trailer_no_colon", "0\r\nX-T\r\n\r\n"},
    {"trailer_bare_lf", "0\r\nX-T: a\n\r\n"},
    {"trailer_nul", "0\r\nX-T: \0\r\n\r\n"s},
};

class RefusedBody : public testing::TestWithParam<Refused> {};

TEST_P(RefusedBody, IsAnError) {
  EXPECT_EQ(decode(GetParam().wire).status, Status::kError);
}

TEST_P(RefusedBody, IsAnErrorWhenFedByteByByte) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < GetParam().wire.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(decode(GetParam().wire, cuts).status, Status::kError);
}

INSTANTIATE_TEST_SUITE_P(Malformed, RefusedBody, testing::ValuesIn(kRefused),
                         [](const testing::TestParamInfo<Refused>& test) {
                           return std::string(test.param.name);
                         });

}  // namespace
}  // namespace portico::proxy::http
