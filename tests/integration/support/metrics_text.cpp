#include "tests/integration/support/metrics_text.h"

#include <cstdlib>
#include <sstream>

#include "tests/integration/support/http_client.h"

namespace portico::testing {
namespace {

// Parses `{a="x",b="y"}` starting at `text[pos]` == '{'; returns the position after '}'.
std::size_t parse_labels(const std::string& text, std::size_t pos,
                         std::map<std::string, std::string>& out) {
  ++pos;
  while (pos < text.size() && text[pos] != '}') {
    const std::size_t eq = text.find('=', pos);
    if (eq == std::string::npos || eq + 1 >= text.size() || text[eq + 1] != '"') break;
    const std::string key = text.substr(pos, eq - pos);
    std::string value;
    std::size_t i = eq + 2;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value += text[i];
    }
    out[key] = value;
    pos = i + 1;
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
  return pos + 1;
}

}  // namespace

std::string scrape_metrics(uint16_t metrics_port) {
  auto response = http_request(metrics_port, "GET", "/metrics", "localhost");
  if (!response || response->status != 200) return "";
  return response->body;
}

std::optional<double> sample_value(const std::string& text, const std::string& name,
                                   const std::map<std::string, std::string>& labels) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t name_end = line.find_first_of("{ ");
    if (name_end == std::string::npos || line.compare(0, name_end, name) != 0 ||
        name_end != name.size()) {
      continue;
    }
    std::map<std::string, std::string> found;
    std::size_t value_start = name_end;
    if (line[name_end] == '{') value_start = parse_labels(line, name_end, found);
    bool matches = true;
    for (const auto& [key, value] : labels) {
      const auto it = found.find(key);
      if (it == found.end() || it->second != value) matches = false;
    }
    if (!matches) continue;
    return std::strtod(line.c_str() + value_start, nullptr);
  }
  return std::nullopt;
}

double scraped_value(uint16_t metrics_port, const std::string& name,
                     const std::map<std::string, std::string>& labels) {
  return sample_value(scrape_metrics(metrics_port), name, labels).value_or(-1);
}

}  // namespace portico::testing
