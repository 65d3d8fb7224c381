#include "proxy/server/access_log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "common/log.h"

namespace portico::proxy {
namespace {

void append_time(std::string& out) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  out.append(text, n);
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":\"";
  log::append_json_escaped(out, value);
  out += '"';
}

void append_number(std::string& out, std::string_view key, double value, const char* format) {
  char text[32];
  const int n = std::snprintf(text, sizeof text, format, value);
  out += ",\"";
  out += key;
  out += "\":";
  out.append(text, static_cast<std::size_t>(n));
}

// Request targets come from clients: in text lines, escape quotes, backslashes and controls
// so one request cannot forge a second log line.
void append_text_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
}

}  // namespace

void write_access_log(const AccessLogEntry& entry, bool json) {
  thread_local std::string line;
  line.clear();
  const std::string upstream =
      entry.upstream != nullptr
          ? entry.upstream->address().to_string() + ":" + std::to_string(entry.upstream->port())
          : std::string("-");
  const std::string_view protocol = entry.version_minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  if (json) {
    line += "{\"time\":\"";
    append_time(line);
    line += '"';
    append_field(line, "client", entry.client_ip);
    append_field(line, "method", entry.method);
    append_field(line, "target", entry.target);
    append_field(line, "host", entry.host);
    append_field(line, "protocol", protocol);
    append_number(line, "status", entry.status, "%.0f");
    append_number(line, "bytes", static_cast<double>(entry.body_bytes), "%.0f");
    append_number(line, "duration", entry.seconds, "%.6f");
    append_field(line, "request_id", entry.request_id);
    append_field(line, "ingress", entry.ingress);
    append_field(line, "upstream", upstream);
    line += "}\n";
  } else {
    line += entry.client_ip;
    line += " [";
    append_time(line);
    line += "] \"";
    append_text_escaped(line, entry.method);
    line += ' ';
    append_text_escaped(line, entry.target);
    line += ' ';
    line += protocol;
    line += "\" ";
    line += std::to_string(entry.status);
    line += ' ';
    line += std::to_string(entry.body_bytes);
    line += " \"";
    append_text_escaped(line, entry.host);
    line += "\" ";
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.6f", entry.seconds);
    line += seconds;
    line += ' ';
    line += entry.request_id;
    line += ' ';
    line += entry.ingress.empty() ? std::string_view("-") : entry.ingress;
    line += ' ';
    line += upstream;
    line += '\n';
  }
  [[maybe_unused]] const ssize_t ignored = ::write(STDOUT_FILENO, line.data(), line.size());
}

}  // namespace portico::proxy
