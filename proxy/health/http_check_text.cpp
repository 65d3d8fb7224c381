#include "proxy/health/http_check_text.h"

namespace portico::proxy {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<std::string> health_check_request(std::string_view path, std::string_view host) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  for (const char c : path) {
    // Bytes >= 0x80 fail one test or the other, whether char is signed or not.
    if (c <= ' ' || c > '~') return std::nullopt;
  }
  std::string request;
  request.reserve(96 + path.size() + host.size());
  request += "GET ";
  request += path;
  request += " HTTP/1.1\r\nHost: ";
  request += host;
  request += "\r\nUser-Agent: portico-health-check\r\nConnection: close\r\n\r\n";
  return request;
}

StatusLine parse_status_line(std::string_view data) {
  const std::size_t end = data.find('\n');
  if (end == std::string_view::npos) return {};
  std::string_view line = data.substr(0, end);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // "HTTP/1.1 200" is 12 bytes; a reason phrase, if any, follows a space.
  const bool well_formed = line.size() >= 12 && line.substr(0, 5) == "HTTP/" && is_digit(line[5]) &&
                           line[6] == '.' && is_digit(line[7]) && line[8] == ' ' &&
                           is_digit(line[9]) && is_digit(line[10]) && is_digit(line[11]) &&
                           (line.size() == 12 || line[12] == ' ');
  if (!well_formed) return {StatusLine::State::kMalformed, 0};
  const auto status =
      static_cast<uint16_t>((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
  return {StatusLine::State::kComplete, status};
}

}  // namespace portico::proxy
