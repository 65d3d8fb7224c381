#include "proxy/http/syntax.h"

#include <type_traits>

namespace portico::proxy::http::syntax {
namespace {

// The bytes of an n-byte string (2 <= n <= 24) that a comparison looks at, as three words:
// the first and last 8 bytes (4 or 2 for shorter strings) and, past 16 bytes, the 8 in
// between. The loads overlap rather than read past the string.
struct Chunks {
  uint64_t first;
  uint64_t middle;
  uint64_t last;
};

template <typename Word>
constexpr uint64_t load_at(const char* p) {
  if (std::is_constant_evaluated()) {
    std::array<char, sizeof(Word)> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = p[i];
    return std::bit_cast<Word>(bytes);
  }
  return swar::load<Word>(p);
}

constexpr Chunks chunks(const char* p, std::size_t n) {
  if (n >= 8) {
    return {load_at<uint64_t>(p), load_at<uint64_t>(p + (n > 16 ? 8 : 0)),
            load_at<uint64_t>(p + n - 8)};
  }
  if (n >= 4) return {load_at<uint32_t>(p), load_at<uint32_t>(p), load_at<uint32_t>(p + n - 4)};
  return {load_at<uint16_t>(p), load_at<uint16_t>(p), load_at<uint16_t>(p + n - 2)};
}

// A lower-case field name prepared at compile time: its chunks, and the bit (0x20) to set in
// each byte of a candidate's chunks so that its upper-case letters compare equal. The bit is
// set only where the name has a letter, so every other byte must match exactly.
struct Pattern {
  std::string_view lower;
  Chunks name{};
  Chunks fold{};

  consteval Pattern() = default;  // kOther's place: never matched
  consteval explicit Pattern(std::string_view lower_case) : lower(lower_case) {
    if (lower.size() < 2 || lower.size() > 24) throw "a pattern is 2 to 24 bytes";
    std::array<char, 24> letters{};
    for (std::size_t i = 0; i < lower.size(); ++i) {
      if (lower[i] >= 'A' && lower[i] <= 'Z') throw "a pattern is lower case";
      letters[i] = lower[i] >= 'a' && lower[i] <= 'z' ? 0x20 : 0;
    }
    name = chunks(lower.data(), lower.size());
    fold = chunks(letters.data(), lower.size());
  }

  // `candidate` must have the pattern's size (see consistent()).
  bool matches(std::string_view candidate) const {
    const Chunks c = chunks(candidate.data(), candidate.size());
    return (((c.first | fold.first) ^ name.first) | ((c.middle | fold.middle) ^ name.middle) |
            ((c.last | fold.last) ^ name.last)) == 0;
  }
};

// Indexed by FieldKind.
constexpr Pattern kPatterns[] = {
    Pattern(),                     // kOther
    Pattern("connection"),         // kConnection
    Pattern("content-length"),     // kContentLength
    Pattern("expect"),             // kExpect
    Pattern("host"),               // kHost
    Pattern("keep-alive"),         // kKeepAlive
    Pattern("proxy-connection"),   // kProxyConnection
    Pattern("te"),                 // kTe
    Pattern("trailer"),            // kTrailer
    Pattern("transfer-encoding"),  // kTransferEncoding
    Pattern("upgrade"),            // kUpgrade
    Pattern("x-forwarded-for"),    // kXForwardedFor
    Pattern("x-forwarded-host"),   // kXForwardedHost
    Pattern("x-forwarded-port"),   // kXForwardedPort
    Pattern("x-forwarded-proto"),  // kXForwardedProto
    Pattern("x-real-ip"),          // kXRealIp
    Pattern("x-request-id"),       // kXRequestId
};

constexpr bool folds_to(char c, char lower) {
  return (c | 0x20) == lower;
}

// The only kind `name` can be, judged by its length and, where two names share a length, by
// a byte that tells them apart; kOther when none can.
constexpr FieldKind candidate(std::string_view name) {
  switch (name.size()) {
    case 2:
      return FieldKind::kTe;
    case 4:
      return FieldKind::kHost;
    case 6:
      return FieldKind::kExpect;
    case 7:
      return folds_to(name[0], 'u') ? FieldKind::kUpgrade : FieldKind::kTrailer;
    case 9:
      return FieldKind::kXRealIp;
    case 10:
      return folds_to(name[0], 'c') ? FieldKind::kConnection : FieldKind::kKeepAlive;
    case 12:
      return FieldKind::kXRequestId;
    case 14:
      return FieldKind::kContentLength;
    case 15:
      return FieldKind::kXForwardedFor;
    case 16:
      if (folds_to(name[0], 'p')) return FieldKind::kProxyConnection;
      return folds_to(name[12], 'h') ? FieldKind::kXForwardedHost : FieldKind::kXForwardedPort;
    case 17:
      return folds_to(name[0], 't') ? FieldKind::kTransferEncoding : FieldKind::kXForwardedProto;
    default:
      return FieldKind::kOther;
  }
}

static_assert(std::size(kPatterns) == static_cast<std::size_t>(FieldKind::kXRequestId) + 1);

// Every name is the only candidate for itself, so a candidate always has its pattern's size.
consteval bool consistent() {
  for (std::size_t k = 1; k < std::size(kPatterns); ++k) {
    if (candidate(kPatterns[k].lower) != static_cast<FieldKind>(k)) return false;
  }
  return true;
}
static_assert(consistent());

}  // namespace

FieldKind classify_field(std::string_view name) {
  const FieldKind kind = candidate(name);
  if (kind == FieldKind::kOther) return kind;
  return kPatterns[static_cast<uint8_t>(kind)].matches(name) ? kind : FieldKind::kOther;
}

}  // namespace portico::proxy::http::syntax
