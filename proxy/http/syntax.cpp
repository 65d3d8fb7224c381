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
  Chunks name{};
  Chunks fold{};

  constexpr Pattern() = default;  // kOther's place: never matched
  // `lower` is 2 to 24 bytes, lower case (see consistent()).
  constexpr explicit Pattern(std::string_view lower) {
    std::array<char, 24> letters{};
    for (std::size_t i = 0; i < lower.size(); ++i) {
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
constexpr auto kPatterns = [] {
  std::array<Pattern, std::size(kFieldNames)> patterns;
  for (std::size_t k = 1; k < patterns.size(); ++k) patterns[k] = Pattern(kFieldNames[k]);
  return patterns;
}();

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

static_assert(std::size(kFieldNames) == static_cast<std::size_t>(FieldKind::kXRequestId) + 1);

// Every name fits a Pattern and is the only candidate for itself, so a candidate always has
// its pattern's size.
consteval bool consistent() {
  for (std::size_t k = 1; k < std::size(kFieldNames); ++k) {
    const std::string_view name = kFieldNames[k];
    if (name.size() < 2 || name.size() > 24) return false;
    for (char c : name) {
      if (c >= 'A' && c <= 'Z') return false;
    }
    if (candidate(name) != static_cast<FieldKind>(k)) return false;
  }
  return true;
}
static_assert(consistent());

}  // namespace

FieldKind detail::classify_candidate(std::string_view name) {
  const FieldKind kind = candidate(name);
  if (kind == FieldKind::kOther) return kind;
  return kPatterns[static_cast<uint8_t>(kind)].matches(name) ? kind : FieldKind::kOther;
}

}  // namespace portico::proxy::http::syntax
