#include "tests/fakes/fake_api_server/selector.h"

#include <optional>

namespace portico::testing {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::vector<std::string> dotted_path(std::string_view text) {
  std::vector<std::string> path;
  while (true) {
    const std::size_t dot = text.find('.');
    path.emplace_back(text.substr(0, dot));
    if (dot == std::string_view::npos) return path;
    text.remove_prefix(dot + 1);
  }
}

// The scalar at `path` as text (strings unquoted, numbers and booleans as JSON writes them);
// nullopt when some key on the way is missing.
std::optional<std::string> field_text(const web::json::value& object,
                                      const std::vector<std::string>& path) {
  const web::json::value* at = &object;
  for (const std::string& key : path) {
    if (!at->is_object()) return std::nullopt;
    const auto& fields = at->as_object();
    const auto it = fields.find(key);
    if (it == fields.end()) return std::nullopt;
    at = &it->second;
  }
  if (at->is_string()) return at->as_string();
  if (at->is_null()) return std::string();
  return at->serialize();
}

}  // namespace

Result<Selector> Selector::parse_fields(std::string_view text) {
  return parse(text, false);
}
Result<Selector> Selector::parse_labels(std::string_view text) {
  return parse(text, true);
}

Result<Selector> Selector::parse(std::string_view text, bool labels) {
  Selector selector;
  while (!trim(text).empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view term_text = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);

    Term term;
    std::string_view key;
    if (const std::size_t at = term_text.find("!="); at != std::string_view::npos) {
      key = term_text.substr(0, at);
      term.op = Op::kNotEquals;
      term.value = trim(term_text.substr(at + 2));
    } else if (const std::size_t equals = term_text.find('='); equals != std::string_view::npos) {
      key = term_text.substr(0, equals);
      const bool doubled = term_text.substr(equals + 1).starts_with('=');
      term.op = Op::kEquals;
      term.value = trim(term_text.substr(equals + (doubled ? 2 : 1)));
    } else if (labels && term_text.starts_with('!')) {
      key = term_text.substr(1);
      term.op = Op::kNotExists;
    } else if (labels) {
      key = term_text;
      term.op = Op::kExists;
    } else {
      return Error{"invalid field selector term \"" + std::string(term_text) + "\""};
    }
    key = trim(key);
    if (key.empty()) return Error{"empty key in selector term \"" + std::string(term_text) + "\""};
    // A label key holds dots and slashes ("app.kubernetes.io/name"): it is one map key.
    term.path = labels ? std::vector<std::string>{"metadata", "labels", std::string(key)}
                       : dotted_path(key);
    selector.terms_.push_back(std::move(term));
  }
  return selector;
}

bool Selector::matches(const web::json::value& object) const {
  for (const Term& term : terms_) {
    const std::optional<std::string> actual = field_text(object, term.path);
    bool holds = false;
    switch (term.op) {
      case Op::kEquals:
        holds = actual.value_or("") == term.value;
        break;
      case Op::kNotEquals:
        holds = actual.value_or("") != term.value;
        break;
      case Op::kExists:
        holds = actual.has_value();
        break;
      case Op::kNotExists:
        holds = !actual.has_value();
        break;
    }
    if (!holds) return false;
  }
  return true;
}

}  // namespace portico::testing
