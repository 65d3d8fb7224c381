#include "controller/decode/field_reader.h"

#include <charconv>

namespace portico::controller {
namespace {

int line_of(const YAML::Node& node, int fallback) {
  return node.IsDefined() ? node.Mark().line + 1 : fallback;
}

std::string child_path(std::string_view parent, std::string_view key) {
  std::string path(parent);
  if (!path.empty()) path += '.';
  path += key;
  return path;
}

}  // namespace

Field FieldReader::root(const YAML::Node& document) const {
  return Field{document, "", line_of(document, 1)};
}

Field FieldReader::member(const Field& object, std::string_view key) {
  std::string path = child_path(object.path, key);
  Field absent{YAML::Node(YAML::NodeType::Undefined), path, object.line};
  if (!object.present() || !ok()) return absent;
  if (!object.node.IsMap()) {
    fail(object, "must be an object");
    return absent;
  }
  const YAML::Node& parent = object.node;  // const: a lookup must never insert the key
  // A missing key yields an invalid node that throws on most calls; never let it escape.
  YAML::Node child = parent[std::string(key)];
  if (!child.IsDefined()) return absent;
  const int line = line_of(child, object.line);
  return Field{std::move(child), std::move(path), line};
}

std::vector<Field> FieldReader::items(const Field& list) {
  std::vector<Field> out;
  if (!list.present() || !ok()) return out;
  if (!list.node.IsSequence()) {
    fail(list, "must be a list");
    return out;
  }
  out.reserve(list.node.size());
  for (std::size_t i = 0; i < list.node.size(); ++i) {
    YAML::Node item = list.node[i];
    const int line = line_of(item, list.line);
    out.push_back(Field{std::move(item), list.path + "[" + std::to_string(i) + "]", line});
  }
  return out;
}

std::optional<std::string> FieldReader::optional_string(const Field& field) {
  if (!field.present() || !ok()) return std::nullopt;
  if (!field.node.IsScalar()) {
    fail(field, "must be a string");
    return std::nullopt;
  }
  return field.node.Scalar();
}

std::string FieldReader::string(const Field& field) {
  return optional_string(field).value_or(std::string());
}

std::string FieldReader::required_string(const Field& field) {
  std::string value = string(field);
  if (value.empty() && ok()) fail(field, "is required");
  return value;
}

std::optional<int64_t> FieldReader::integer(const Field& field, int64_t min, int64_t max) {
  const std::optional<std::string> text = optional_string(field);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || text->empty()) {
    fail(field, "must be an integer, got \"" + *text + "\"");
    return std::nullopt;
  }
  if (value < min || value > max) {
    fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", got " + *text);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> FieldReader::boolean(const Field& field) {
  const std::optional<std::string> text = optional_string(field);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  fail(field, "must be true or false, got \"" + *text + "\"");
  return std::nullopt;
}

std::map<std::string, std::string> FieldReader::string_map(const Field& field) {
  std::map<std::string, std::string> out;
  if (!field.present() || !ok()) return out;
  if (!field.node.IsMap()) {
    fail(field, "must be an object");
    return out;
  }
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    const std::string key = it->first.Scalar();
    std::string value =
        string(Field{it->second, child_path(field.path, key), line_of(it->second, field.line)});
    out.emplace(key, std::move(value));
  }
  return out;
}

int32_t FieldReader::port_number(const Field& field) {
  return static_cast<int32_t>(integer(field, 1, 65535).value_or(0));
}

PortRef FieldReader::port_number_or_name(const Field& field) {
  const std::optional<std::string> text = optional_string(field);
  if (!text) return {};
  if (text->empty()) {
    fail(field, "must be a port number or name");
    return {};
  }
  if (text->find_first_not_of("0123456789") == std::string::npos) {
    return PortRef{port_number(field), ""};
  }
  return PortRef{0, *text};
}

void FieldReader::fail(const Field& field, std::string_view message) {
  if (error_) return;
  std::string text = source_.empty() ? "line " : source_ + ":";
  text += std::to_string(field.line);
  text += ": ";
  if (!field.path.empty()) {
    text += field.path;
    text += ": ";
  }
  text += message;
  error_ = Error{std::move(text)};
}

}  // namespace portico::controller
