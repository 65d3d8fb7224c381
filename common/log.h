#pragma once
// Process-wide logging: one line per event on stderr, text or JSON. Thread-safe; each line
// is written with a single write(2) so lines from different threads never interleave.
// Not for the per-request hot path (the access log has its own writer).
#include <string>
#include <string_view>

namespace portico::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kText, kJson };

void configure(Level min_level, Format format);
bool parse_level(std::string_view text, Level& out);
bool enabled(Level level);

// `message` is the event; `fields` are extra key=value context, e.g. {{"file", path}}.
struct Field {
  std::string_view key;
  std::string value;
};
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kDebug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kInfo, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kWarn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kError, m, f);
}

// Appends `text` to `out` as the inside of a JSON string literal.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace portico::log
