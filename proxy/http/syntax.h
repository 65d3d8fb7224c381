#pragma once
// RFC 9110/9112 building blocks shared by the head parser, the chunked decoder and the
// forwarding rules: one 256-entry table of character classes (so every byte is classified by
// a single load), word-at-a-time (SWAR) scans and case-insensitive comparisons for the hot
// loops, and the classification of the field names Portico acts on. Pure, stateless, safe
// from any thread.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace portico::proxy::http::syntax {

enum CharClass : uint8_t {
  kTchar = 1 << 0,       // token characters (RFC 9110 5.6.2)
  kFieldChar = 1 << 1,   // field-value and reason-phrase bytes: VCHAR, obs-text, SP, HTAB
  kTargetChar = 1 << 2,  // request-target bytes: VCHAR except '#' (no fragments, like HAProxy)
  kHostChar = 1 << 3,    // reg-name / IPv4address bytes (RFC 3986 3.2.2)
  kHexDigit = 1 << 4,
  kQdText = 1 << 5,  // quoted-string content other than quoted-pair (RFC 9110 5.6.4)
  kOws = 1 << 6,     // SP and HTAB
};

constexpr std::array<uint8_t, 256> make_char_classes() {
  std::array<uint8_t, 256> t{};
  const auto add = [&t](std::string_view chars, uint8_t cls) {
    for (char c : chars) t[static_cast<unsigned char>(c)] |= cls;
  };
  for (int c = 0x21; c <= 0x7e; ++c) t[c] |= kFieldChar | kTargetChar | kQdText;
  for (int c = 0x80; c <= 0xff; ++c) t[c] |= kFieldChar | kQdText;
  for (int c = '0'; c <= '9'; ++c) t[c] |= kTchar | kHostChar | kHexDigit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kTchar | kHostChar;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kTchar | kHostChar;
  add("abcdefABCDEF", kHexDigit);
  add("!#$%&'*+-.^_`|~", kTchar);
  add("-._~%!$&'()*+,;=", kHostChar);
  add(" \t", kFieldChar | kQdText | kOws);
  t['#'] &= static_cast<uint8_t>(~kTargetChar);
  t['"'] &= static_cast<uint8_t>(~kQdText);
  t['\\'] &= static_cast<uint8_t>(~kQdText);
  return t;
}

inline constexpr std::array<uint8_t, 256> kCharClasses = make_char_classes();
// The parser scans without bound checks when its input ends with LF: no class may hold LF.
static_assert(kCharClasses['\n'] == 0);

inline bool is(char c, CharClass cls) {
  return (kCharClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool is_ows(char c) {
  return c == ' ' || c == '\t';
}
inline char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
inline unsigned hex_value(char c) {
  if (c <= '9') return static_cast<unsigned>(c - '0');
  return static_cast<unsigned>(to_lower(c) - 'a' + 10);
}

// Word-at-a-time helpers: eight bytes are loaded as one uint64_t and tested together, each
// test leaving 0x80 in the bytes it flags.
namespace swar {

inline constexpr uint64_t kOnes = ~uint64_t{0} / 0xff;
inline constexpr uint64_t kHigh = kOnes * 0x80;
inline constexpr uint64_t kLow7 = kOnes * 0x7f;

template <typename Word>
Word load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Flags the bytes of `w` below `n` (n <= 0x80). The subtraction's borrow may also flag bytes
// after a flagged one, never before: whether any byte is flagged, and which is the first in
// little-endian memory order, are exact.
constexpr uint64_t below(uint64_t w, uint8_t n) {
  return (w - kOnes * n) & ~w & kHigh;
}

// Flags the bytes of `w` equal to `c`, with the same guarantee as below().
constexpr uint64_t equal(uint64_t w, uint8_t c) {
  return below(w ^ (kOnes * c), 1);
}

// ASCII upper-case letters of `w` lowered; every other byte unchanged. Exact per byte.
constexpr uint64_t to_lower(uint64_t w) {
  const uint64_t low = w & kLow7;
  const uint64_t upper =
      (low + kOnes * (0x80 - 'A')) & ~(low + kOnes * (0x80 - 'Z' - 1)) & ~w & kHigh;
  return w | (upper >> 2);
}

// Advances `p` over whole words in which `flag_bad` flags nothing, then to the first flagged
// byte of the word that has one. Stops with fewer than eight bytes left; the caller finishes
// byte by byte with the class table, which also re-checks the byte found here, so `flag_bad`
// may flag more than the bytes outside the class (never fewer). Only little-endian machines
// take the word steps (see below()); others leave every byte to the caller.
template <typename FlagBad>
const char* skip_words(const char* p, const char* end, FlagBad flag_bad) {
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      if (const uint64_t bad = flag_bad(load<uint64_t>(p)); bad != 0) {
        return p + std::countr_zero(bad) / 8;
      }
      p += 8;
    }
  }
  return p;
}

// Bytes other than VCHAR: controls, SP, DEL and obs-text.
inline constexpr auto not_vchar = [](uint64_t w) {
  return below(w, 0x21) | equal(w, 0x7f) | (w & kHigh);
};

// Bytes outside kFieldChar (controls other than HTAB, and DEL), and HTAB.
inline constexpr auto not_field_char_or_tab = [](uint64_t w) {
  return below(w, 0x20) | equal(w, 0x7f);
};

// Bytes outside kTargetChar: not VCHAR, or '#'.
inline constexpr auto not_target_char = [](uint64_t w) { return not_vchar(w) | equal(w, '#'); };

// Compares `n` bytes case-insensitively, a word (or half, quarter word) at a time. When
// `kLowerB` is set, `b` is known to be lower case and is not folded. Always inlined: with a
// literal's size known, the branches on `n` fold away and a name costs a few instructions.
template <bool kLowerB>
[[gnu::always_inline]] inline bool equal_folded(const char* a, const char* b, std::size_t n) {
  const auto same = [](uint64_t x, uint64_t y) {
    return to_lower(x) == (kLowerB ? y : to_lower(y));
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (!same(load<uint64_t>(a + i), load<uint64_t>(b + i))) return false;
    }
    return same(load<uint64_t>(a + n - 8), load<uint64_t>(b + n - 8));
  }
  // Two overlapping loads cover 4 to 7 (or 2 to 3) bytes.
  if (n >= 4) {
    return same(load<uint32_t>(a), load<uint32_t>(b)) &&
           same(load<uint32_t>(a + n - 4), load<uint32_t>(b + n - 4));
  }
  if (n >= 2) {
    return same(load<uint16_t>(a), load<uint16_t>(b)) &&
           same(load<uint16_t>(a + n - 2), load<uint16_t>(b + n - 2));
  }
  return n == 0 || same(static_cast<uint8_t>(*a), static_cast<uint8_t>(*b));
}

}  // namespace swar

// The first `c` in [p, end), or end.
inline const char* find_byte(const char* p, const char* end, char c) {
  p = swar::skip_words(p, end, [c](uint64_t w) { return swar::equal(w, static_cast<uint8_t>(c)); });
  while (p != end && *p != c) ++p;
  return p;
}

// Calls `visit(element)` for each non-empty element of a comma-separated list, OWS trimmed,
// until it returns true. Returns whether it did. One pass: empty elements and the OWS before
// an element are skipped together.
template <typename Visit>
bool find_in_list(std::string_view list, Visit&& visit) {
  const char* p = list.data();
  const char* const end = p + list.size();
  for (;;) {
    while (p != end && (*p == ',' || is_ows(*p))) ++p;
    if (p == end) return false;
    const char* const begin = p;
    p = find_byte(p, end, ',');
    const char* last = p;
    while (is_ows(last[-1])) --last;  // stops at *begin, which is not OWS
    if (visit(std::string_view(begin, static_cast<std::size_t>(last - begin)))) return true;
  }
}

// Case-insensitive ASCII comparison with `lower`, which must be lower case (a literal).
[[gnu::always_inline]] inline bool equals_lower(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && swar::equal_folded<true>(s.data(), lower.data(), s.size());
}

// The field names with a meaning to Portico; everything else is kOther.
enum class FieldKind : uint8_t {
  kOther,
  kConnection,
  kContentLength,
  kExpect,
  kHost,
  kKeepAlive,
  kProxyConnection,
  kTe,
  kTrailer,
  kTransferEncoding,
  kUpgrade,
  kXForwardedFor,
  kXForwardedHost,
  kXForwardedPort,
  kXForwardedProto,
  kXRealIp,
  kXRequestId,
};

// The lower-case name of each kind, indexed by FieldKind.
inline constexpr std::string_view kFieldNames[] = {
    "",                   // kOther
    "connection",         // kConnection
    "content-length",     // kContentLength
    "expect",             // kExpect
    "host",               // kHost
    "keep-alive",         // kKeepAlive
    "proxy-connection",   // kProxyConnection
    "te",                 // kTe
    "trailer",            // kTrailer
    "transfer-encoding",  // kTransferEncoding
    "upgrade",            // kUpgrade
    "x-forwarded-for",    // kXForwardedFor
    "x-forwarded-host",   // kXForwardedHost
    "x-forwarded-port",   // kXForwardedPort
    "x-forwarded-proto",  // kXForwardedProto
    "x-real-ip",          // kXRealIp
    "x-request-id",       // kXRequestId
};

namespace detail {

inline constexpr std::size_t kMaxFieldNameSize = [] {
  std::size_t longest = 0;
  for (std::string_view name : kFieldNames) longest = name.size() > longest ? name.size() : longest;
  return longest;
}();

// For each length, the first letters (bit 0 for 'a') of the known names of that length: one
// load and a shift turn most names away before any comparison.
consteval std::array<uint32_t, kMaxFieldNameSize + 1> make_first_letters() {
  std::array<uint32_t, kMaxFieldNameSize + 1> letters{};
  for (std::size_t k = 1; k < std::size(kFieldNames); ++k) {
    const std::string_view name = kFieldNames[k];
    letters[name.size()] |= uint32_t{1} << (name[0] - 'a');
  }
  return letters;
}
inline constexpr std::array<uint32_t, kMaxFieldNameSize + 1> kFirstLetters = make_first_letters();

// classify_field() for a name that passed the first-letter test.
FieldKind classify_candidate(std::string_view name);

}  // namespace detail

// Case-insensitive. Most names are turned away inline by their length and first letter; the
// rest cost one comparison a word at a time, out of line.
inline FieldKind classify_field(std::string_view name) {
  if (name.empty() || name.size() > detail::kMaxFieldNameSize) return FieldKind::kOther;
  const unsigned letter = static_cast<unsigned char>(name[0] | 0x20) - unsigned{'a'};
  if (letter >= 26 || ((detail::kFirstLetters[name.size()] >> letter) & 1) == 0) {
    return FieldKind::kOther;
  }
  return detail::classify_candidate(name);
}

}  // namespace portico::proxy::http::syntax
