#pragma once
// RFC 9110/9112 building blocks shared by the head parser, the chunked decoder and the
// forwarding rules: one 256-entry table of character classes (so every byte is classified by
// a single load) and the classification of the field names Portico acts on. Pure, stateless,
// safe from any thread.
#include <array>
#include <cstdint>
#include <string_view>

namespace portico::proxy::http::syntax {

enum CharClass : uint8_t {
  kTchar = 1 << 0,       // token characters (RFC 9110 5.6.2)
  kFieldChar = 1 << 1,   // field-value and reason-phrase bytes: VCHAR, obs-text, SP, HTAB
  kTargetChar = 1 << 2,  // request-target bytes: VCHAR except '#' (no fragments, like HAProxy)
  kHostChar = 1 << 3,    // reg-name / IPv4address bytes (RFC 3986 3.2.2)
  kHexDigit = 1 << 4,
  kQdText = 1 << 5,  // quoted-string content other than quoted-pair (RFC 9110 5.6.4)
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
  add(" \t", kFieldChar | kQdText);
  t['#'] &= static_cast<uint8_t>(~kTargetChar);
  t['"'] &= static_cast<uint8_t>(~kQdText);
  t['\\'] &= static_cast<uint8_t>(~kQdText);
  return t;
}

inline constexpr std::array<uint8_t, 256> kCharClasses = make_char_classes();

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

// Calls `visit(element)` for each non-empty element of a comma-separated list, OWS trimmed,
// until it returns true. Returns whether it did.
template <typename Visit>
bool find_in_list(std::string_view list, Visit&& visit) {
  for (;;) {
    const std::size_t comma = list.find(',');
    std::string_view element = list.substr(0, comma);
    while (!element.empty() && is_ows(element.front())) element.remove_prefix(1);
    while (!element.empty() && is_ows(element.back())) element.remove_suffix(1);
    if (!element.empty() && visit(element)) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
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

// Case-insensitive; switches on the length first so most names cost one comparison.
FieldKind classify_field(std::string_view name);

}  // namespace portico::proxy::http::syntax
