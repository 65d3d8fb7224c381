#include "proxy/http/chunked_decoder.h"

#include <algorithm>

#include "proxy/http/syntax.h"

namespace portico::proxy::http {

// One state per position in the grammar of RFC 9112 7.1, so input may stop at any byte:
//   chunk-size [ *( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] ) ] CRLF data CRLF ...
//   "0" [ ext ] CRLF *( field-line CRLF ) CRLF
// BWS is accepted only where the grammar puts it: before ";" and around "=", never before CRLF.
// The extension states (kExtSemicolon..kExtQuoteEnd) and the trailer states
// (kTrailerStart..kFinalLf) stay contiguous: step() bounds their bytes by range.
enum class ChunkedDecoder::State : uint8_t {
  kSize,           // hex digits; must stay first so that a value-initialised decoder starts here
  kExtSemicolon,   // BWS after the size or an extension; only ";" may follow
  kExtNameStart,   // after ";": BWS, then the first tchar of a name
  kExtName,        // in a name
  kExtNameBws,     // BWS after a name: "=" or ";"
  kExtValueStart,  // after "=": BWS, then a token or a quoted-string
  kExtToken,       // in a token value
  kExtQuoted,      // in a quoted-string
  kExtQuotedPair,  // after a backslash in a quoted-string
  kExtQuoteEnd,    // after the closing quote
  kSizeLf,         // after the CR ending the size line
  kData,           // remaining_ payload bytes to go
  kDataCr,         // CRLF after the data
  kDataLf,
  kTrailerStart,  // start of a trailer line, or the CR of the final empty line
  kTrailerName,
  kTrailerValue,
  kTrailerLf,
  kFinalLf,
  kDone,
  kError,
};

namespace {

// Bounds the bytes a chunk-size line may spend on extensions, which carry no payload.
constexpr unsigned kMaxSizeLineBytes = 4096;
constexpr unsigned kMaxSizeDigits = 16;

}  // namespace

// size_digits_ counts the bytes of the current chunk-size line: while in kSize that is the
// number of digits, afterwards it bounds the extensions, so one counter serves both limits.
ChunkedDecoder::Step ChunkedDecoder::step(std::string_view input) {
  Step result;
  std::size_t i = 0;
  const auto fail = [&]() {
    state_ = State::kError;
    result.consumed = i;
    result.status = Status::kError;
    return result;
  };
  for (; i < input.size(); ++i) {
    const char c = input[i];
    if (state_ >= State::kExtSemicolon && state_ <= State::kExtQuoteEnd &&
        ++size_digits_ > kMaxSizeLineBytes) {
      return fail();
    }
    if (state_ >= State::kTrailerStart && state_ <= State::kFinalLf &&
        ++trailer_bytes_ > max_trailer_bytes_) {
      return fail();
    }
    switch (state_) {
      case State::kSize:
        if (syntax::is(c, syntax::kHexDigit)) {
          // Sixteen digits hold any uint64_t, so the digit limit also rules out overflow.
          if (++size_digits_ > kMaxSizeDigits) return fail();
          remaining_ = (remaining_ << 4) | syntax::hex_value(c);
        } else if (size_digits_ == 0) {
          return fail();
        } else if (c == ';') {
          state_ = State::kExtNameStart;
        } else if (syntax::is_ows(c)) {
          state_ = State::kExtSemicolon;
        } else if (c == '\r') {
          state_ = State::kSizeLf;
        } else {
          return fail();
        }
        break;
      case State::kExtSemicolon:
        if (c == ';') {
          state_ = State::kExtNameStart;
        } else if (!syntax::is_ows(c)) {
          return fail();
        }
        break;
      case State::kExtNameStart:
        if (syntax::is(c, syntax::kTchar)) {
          state_ = State::kExtName;
        } else if (!syntax::is_ows(c)) {
          return fail();
        }
        break;
      case State::kExtName:
        if (c == '=') {
          state_ = State::kExtValueStart;
        } else if (c == ';') {
          state_ = State::kExtNameStart;
        } else if (syntax::is_ows(c)) {
          state_ = State::kExtNameBws;
        } else if (c == '\r') {
          state_ = State::kSizeLf;
        } else if (!syntax::is(c, syntax::kTchar)) {
          return fail();
        }
        break;
      case State::kExtNameBws:
        if (c == '=') {
          state_ = State::kExtValueStart;
        } else if (c == ';') {
          state_ = State::kExtNameStart;
        } else if (!syntax::is_ows(c)) {
          return fail();
        }
        break;
      case State::kExtValueStart:
        if (c == '"') {
          state_ = State::kExtQuoted;
        } else if (syntax::is(c, syntax::kTchar)) {
          state_ = State::kExtToken;
        } else if (!syntax::is_ows(c)) {
          return fail();
        }
        break;
      case State::kExtToken:
      case State::kExtQuoteEnd:
        if (c == ';') {
          state_ = State::kExtNameStart;
        } else if (syntax::is_ows(c)) {
          state_ = State::kExtSemicolon;
        } else if (c == '\r') {
          state_ = State::kSizeLf;
        } else if (state_ == State::kExtQuoteEnd || !syntax::is(c, syntax::kTchar)) {
          return fail();
        }
        break;
      case State::kExtQuoted:
        if (c == '"') {
          state_ = State::kExtQuoteEnd;
        } else if (c == '\\') {
          state_ = State::kExtQuotedPair;
        } else if (!syntax::is(c, syntax::kQdText)) {
          return fail();
        }
        break;
      case State::kExtQuotedPair:
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (!syntax::is(c, syntax::kFieldChar)) return fail();
        state_ = State::kExtQuoted;
        break;
      case State::kSizeLf:
        if (c != '\n') return fail();
        size_digits_ = 0;
        state_ = remaining_ == 0 ? State::kTrailerStart : State::kData;
        break;
      case State::kData: {
        const auto available = static_cast<uint64_t>(input.size() - i);
        const auto take = static_cast<std::size_t>(std::min(remaining_, available));
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::kDataCr;
        result.payload = input.substr(i, take);
        result.consumed = i + take;
        return result;
      }
      case State::kDataCr:
        if (c != '\r') return fail();
        state_ = State::kDataLf;
        break;
      case State::kDataLf:
        if (c != '\n') return fail();
        state_ = State::kSize;
        break;
      case State::kTrailerStart:
        if (c == '\r') {
          state_ = State::kFinalLf;
        } else if (syntax::is(c, syntax::kTchar)) {
          state_ = State::kTrailerName;
        } else {
          return fail();  // obs-fold, empty name, CTL
        }
        break;
      case State::kTrailerName:
        if (c == ':') {
          state_ = State::kTrailerValue;
        } else if (!syntax::is(c, syntax::kTchar)) {
          return fail();  // includes whitespace before the colon
        }
        break;
      case State::kTrailerValue:
        if (c == '\r') {
          state_ = State::kTrailerLf;
        } else if (!syntax::is(c, syntax::kFieldChar)) {
          return fail();
        }
        break;
      case State::kTrailerLf:
        if (c != '\n') return fail();
        state_ = State::kTrailerStart;
        break;
      case State::kFinalLf:
        if (c != '\n') return fail();
        state_ = State::kDone;
        result.consumed = i + 1;
        result.status = Status::kDone;
        return result;
      case State::kDone:
        result.status = Status::kDone;
        return result;
      case State::kError:
        return fail();
    }
  }
  result.consumed = i;
  // Only an empty input reaches here in a terminal state.
  if (state_ == State::kDone) result.status = Status::kDone;
  if (state_ == State::kError) result.status = Status::kError;
  return result;
}

void ChunkedDecoder::reset() {
  state_ = State::kSize;
  remaining_ = 0;
  size_digits_ = 0;
  trailer_bytes_ = 0;
}

bool ChunkedDecoder::done() const {
  return state_ == State::kDone;
}

}  // namespace portico::proxy::http
