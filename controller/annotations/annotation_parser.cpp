#include "controller/annotations/annotation_parser.h"

#include <algorithm>

namespace portico::controller::annotations {
namespace {

constexpr std::size_t kQuotedLimit = 64;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::optional<std::string_view> find_annotation(const Annotations& annotations,
                                                std::string_view name) {
  const auto it = annotations.find(std::string(name));
  if (it == annotations.end()) return std::nullopt;
  std::string_view value = it->second;
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  return value;
}

std::string describe(std::string_view annotation, std::string_view text, std::string_view why) {
  std::string message = "annotation ";
  message.append(annotation).append(" value ").append(quote_value(text)).append(": ").append(why);
  return message;
}

std::string quote_value(std::string_view text) {
  std::string out = "\"";
  for (const char c : text.substr(0, kQuotedLimit)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte >= 0x7f) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out.append("\\x").push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  if (text.size() > kQuotedLimit) out.append("...");
  return out;
}

bool is_http_token(std::string_view text) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

}  // namespace portico::controller::annotations
