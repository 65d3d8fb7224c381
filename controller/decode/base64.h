#pragma once
// Strict RFC 4648 base64 (standard alphabet, padded), as the API server writes Secret data.
// Pure; any thread.
#include <optional>
#include <string>
#include <string_view>

namespace portico::controller {

// The decoded bytes, or nullopt for anything that is not canonical padded base64: a length
// that is not a multiple of 4, characters outside the alphabet (whitespace included),
// misplaced or missing '=', or non-zero bits in the last character before the padding.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace portico::controller
