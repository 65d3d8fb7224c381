#include "proxy/balancer/hash_key.h"

#include <array>
#include <bit>
#include <cstddef>

namespace portico::proxy {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

// Byte by byte so that the result does not depend on the host's byte order; compilers turn
// this into one load on little-endian hosts.
template <typename Word>
Word read_le(const char* bytes) {
  Word word = 0;
  for (std::size_t i = 0; i < sizeof(Word); ++i) {
    word |= static_cast<Word>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return word;
}

uint64_t round(uint64_t accumulator, uint64_t lane) {
  accumulator += lane * kPrime2;
  return std::rotl(accumulator, 31) * kPrime1;
}

uint64_t merge_round(uint64_t hash, uint64_t accumulator) {
  hash ^= round(0, accumulator);
  return hash * kPrime1 + kPrime4;
}

uint64_t avalanche(uint64_t hash) {
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

template <std::size_t N>
uint64_t hash_address_bytes(const std::array<unsigned char, N>& bytes) {
  return hash_bytes({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

uint64_t hash_bytes(std::string_view bytes, uint64_t seed) {
  const char* in = bytes.data();
  const char* const end = in + bytes.size();
  uint64_t hash;
  if (bytes.size() >= 32) {
    uint64_t lanes[4] = {seed + kPrime1 + kPrime2, seed + kPrime2, seed, seed - kPrime1};
    for (; end - in >= 32; in += 32) {
      for (int lane = 0; lane < 4; ++lane) {
        lanes[lane] = round(lanes[lane], read_le<uint64_t>(in + 8 * lane));
      }
    }
    hash = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
           std::rotl(lanes[3], 18);
    for (uint64_t lane : lanes) hash = merge_round(hash, lane);
  } else {
    hash = seed + kPrime5;
  }
  hash += bytes.size();

  for (; end - in >= 8; in += 8) {
    hash ^= round(0, read_le<uint64_t>(in));
    hash = std::rotl(hash, 27) * kPrime1 + kPrime4;
  }
  if (end - in >= 4) {
    hash ^= static_cast<uint64_t>(read_le<uint32_t>(in)) * kPrime1;
    hash = std::rotl(hash, 23) * kPrime2 + kPrime3;
    in += 4;
  }
  for (; in < end; ++in) {
    hash ^= static_cast<uint64_t>(static_cast<unsigned char>(*in)) * kPrime5;
    hash = std::rotl(hash, 11) * kPrime1;
  }
  return avalanche(hash);
}

uint64_t hash_client_address(const boost::asio::ip::address& address) {
  if (address.is_v4()) return hash_address_bytes(address.to_v4().to_bytes());
  const boost::asio::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return hash_address_bytes(
        boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_bytes());
  }
  return hash_address_bytes(v6.to_bytes());
}

std::optional<std::string_view> cookie_value(std::string_view cookie_header,
                                             std::string_view name) {
  while (!cookie_header.empty()) {
    const std::size_t separator = cookie_header.find(';');
    const std::string_view pair = cookie_header.substr(0, separator);
    cookie_header.remove_prefix(separator == std::string_view::npos ? cookie_header.size()
                                                                    : separator + 1);
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos || trim(pair.substr(0, equals)) != name) continue;
    std::string_view value = trim(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace portico::proxy
