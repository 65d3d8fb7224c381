#include "controller/decode/field_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <cpprest/json.h>

namespace portico::controller {
namespace {

using JsonValue = web::json::value;

int line_of(const YAML::Node& node, int fallback) {
  return node.IsDefined() ? node.Mark().line + 1 : fallback;
}

// What a JSON value of the wrong type was, for "must be X, got Y". Only called for fields
// whose values may be quoted (never secret data).
std::string describe(const JsonValue& value) {
  switch (value.type()) {
    case JsonValue::String:
      return "\"" + value.as_string() + "\"";
    case JsonValue::Number:
    case JsonValue::Boolean:
      return value.serialize();
    case JsonValue::Array:
      return "a list";
    case JsonValue::Object:
      return "an object";
    case JsonValue::Null:
      break;
  }
  return "null";
}

// A member with a plain key is written "a.b"; others ("tls.crt") as "a[tls.crt]".
bool is_plain_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

bool Field::present() const {
  if (is_json()) return json() != nullptr && !json()->is_null();
  return yaml().IsDefined() && !yaml().IsNull();
}

Field FieldReader::root(const YAML::Node& document) const {
  return Field(document, Field::kRootPath, line_of(document, 1));
}

Field FieldReader::root(const JsonValue& document) const {
  return Field(&document, Field::kRootPath);
}

uint32_t FieldReader::push_segment(const Field& parent, std::string_view key, uint32_t index) {
  segments_.push_back(PathSegment{parent.path_, index, key});
  return static_cast<uint32_t>(segments_.size() - 1);
}

Field FieldReader::absent(const Field& parent, uint32_t path) const {
  // A default YAML::Node is null, so present() is false; unlike an Undefined one it
  // allocates nothing.
  if (parent.is_json()) return Field(nullptr, path);
  return Field(YAML::Node(), path, parent.line_);
}

Field FieldReader::member(const Field& object, std::string_view key) {
  if (!ok()) return absent(object, Field::kRootPath);  // nothing more is reported
  // Absent fields carry their path too: "is required" names them.
  const uint32_t path = push_segment(object, key, PathSegment::kMemberIndex);
  if (!object.present()) return absent(object, path);
  if (const JsonValue* parent = object.json()) {
    if (!parent->is_object()) {
      fail(object, "must be an object");
      return absent(object, path);
    }
    // Linear: API objects have a handful of keys, `key` needs no std::string, and this does
    // not depend on cpprestsdk's global setting that keeps keys sorted.
    for (const auto& [name, value] : parent->as_object()) {
      if (name == key) return Field(&value, path);
    }
    return absent(object, path);
  }
  const YAML::Node& parent = object.yaml();  // const: a lookup must never insert the key
  if (!parent.IsMap()) {
    fail(object, "must be an object");
    return absent(object, path);
  }
  // A missing key yields an invalid node that throws on most calls; never let it escape.
  YAML::Node child = parent[std::string(key)];
  if (!child.IsDefined()) return absent(object, path);
  const int line = line_of(child, object.line_);
  return Field(std::move(child), path, line);
}

std::vector<Field> FieldReader::items(const Field& list) {
  std::vector<Field> out;
  if (!list.present() || !ok()) return out;
  if (const JsonValue* json = list.json()) {
    if (!json->is_array()) {
      fail(list, "must be a list");
      return out;
    }
    const web::json::array& array = json->as_array();
    out.reserve(array.size());
    uint32_t index = 0;
    for (const JsonValue& item : array)
      out.push_back(Field(&item, push_segment(list, {}, index++)));
    return out;
  }
  const YAML::Node& yaml = list.yaml();
  if (!yaml.IsSequence()) {
    fail(list, "must be a list");
    return out;
  }
  out.reserve(yaml.size());
  for (std::size_t i = 0; i < yaml.size(); ++i) {
    YAML::Node item = yaml[i];
    const int line = line_of(item, list.line_);
    out.push_back(Field(std::move(item), push_segment(list, {}, static_cast<uint32_t>(i)), line));
  }
  return out;
}

std::optional<std::string> FieldReader::optional_string(const Field& field) {
  if (!field.present() || !ok()) return std::nullopt;
  if (const JsonValue* json = field.json()) {
    if (json->is_string()) return json->as_string();
  } else if (const YAML::Node& yaml = field.yaml(); yaml.IsScalar()) {
    return yaml.Scalar();
  }
  fail(field, "must be a string");
  return std::nullopt;
}

std::string FieldReader::string(const Field& field) {
  return optional_string(field).value_or(std::string());
}

std::string FieldReader::required_string(const Field& field) {
  std::string value = string(field);
  if (value.empty() && ok()) fail(field, "is required");
  return value;
}

std::optional<int64_t> FieldReader::integer_in_range(const Field& field, int64_t value, int64_t min,
                                                     int64_t max) {
  if (value >= min && value <= max) return value;
  fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                  std::to_string(value));
  return std::nullopt;
}

std::optional<int64_t> FieldReader::integer_from_text(const Field& field, const std::string& text,
                                                      int64_t min, int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) {
    fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", got " + text);
    return std::nullopt;
  }
  if (ec != std::errc() || ptr != end || text.empty()) {
    fail(field, "must be an integer, got \"" + text + "\"");
    return std::nullopt;
  }
  return integer_in_range(field, value, min, max);
}

std::optional<int64_t> FieldReader::integer(const Field& field, int64_t min, int64_t max) {
  if (!field.present() || !ok()) return std::nullopt;
  const JsonValue* json = field.json();
  if (!json) {
    const std::optional<std::string> text = optional_string(field);
    if (!text) return std::nullopt;
    return integer_from_text(field, *text, min, max);
  }
  if (json->is_integer()) {
    const web::json::number& number = json->as_number();
    if (number.is_int64()) return integer_in_range(field, number.to_int64(), min, max);
    // Above INT64_MAX: out of any range a decoder asks for.
    fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", got " + json->serialize());
    return std::nullopt;
  }
  // cpprestsdk keeps 80.0 and 8e1 as doubles and forgets how they were written.
  fail(field, json->is_number()
                  ? "must be an integer without a fraction or exponent, got " + json->serialize()
                  : "must be an integer, got " + describe(*json));
  return std::nullopt;
}

std::optional<double> FieldReader::number(const Field& field) {
  if (!field.present() || !ok()) return std::nullopt;
  if (const JsonValue* json = field.json()) {
    if (json->is_number() && std::isfinite(json->as_double())) return json->as_double();
    fail(field, "must be a number, got " + describe(*json));
    return std::nullopt;
  }
  const std::optional<std::string> text = optional_string(field);
  if (!text) return std::nullopt;
  double value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  // from_chars also takes "inf" and "nan", which no field means.
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    fail(field, "must be a number, got \"" + *text + "\"");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> FieldReader::boolean(const Field& field) {
  if (!field.present() || !ok()) return std::nullopt;
  if (const JsonValue* json = field.json()) {
    if (json->is_boolean()) return json->as_bool();
    fail(field, "must be true or false, got " + describe(*json));
    return std::nullopt;
  }
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
  if (const JsonValue* json = field.json()) {
    if (!json->is_object()) {
      fail(field, "must be an object");
      return out;
    }
    for (const auto& [key, value] : json->as_object()) {
      if (value.is_string()) {
        out.emplace(key, value.as_string());
      } else if (!value.is_null()) {
        fail(Field(&value, push_segment(field, key, PathSegment::kMapKeyIndex)),
             "must be a string");
        return out;
      }
    }
    return out;
  }
  const YAML::Node& yaml = field.yaml();
  if (!yaml.IsMap()) {
    fail(field, "must be an object");
    return out;
  }
  for (auto it = yaml.begin(); it != yaml.end(); ++it) {
    // The path points at the key in `out`: map nodes never move.
    const auto [entry, inserted] = out.emplace(it->first.Scalar(), std::string());
    const Field value(it->second, push_segment(field, entry->first, PathSegment::kMapKeyIndex),
                      line_of(it->second, field.line_));
    entry->second = string(value);
    if (!ok()) return out;
  }
  return out;
}

int32_t FieldReader::port_number(const Field& field) {
  return static_cast<int32_t>(integer(field, 1, 65535).value_or(0));
}

PortRef FieldReader::port_number_or_name(const Field& field) {
  if (!field.present() || !ok()) return {};
  const JsonValue* json = field.json();
  if (json && json->is_number()) return PortRef{port_number(field), ""};
  if (json && !json->is_string()) {
    fail(field, "must be a port number or name, got " + describe(*json));
    return {};
  }
  const std::optional<std::string> text = optional_string(field);
  if (!text) return {};
  if (text->empty()) {
    fail(field, "must be a port number or name");
    return {};
  }
  if (text->find_first_not_of("0123456789") == std::string::npos) {
    return PortRef{static_cast<int32_t>(integer_from_text(field, *text, 1, 65535).value_or(0)), ""};
  }
  return PortRef{0, *text};
}

std::string FieldReader::path_of(const Field& field) const {
  std::vector<const PathSegment*> chain;
  for (uint32_t at = field.path_; at != Field::kRootPath; at = segments_[at].parent) {
    chain.push_back(&segments_[at]);
  }
  std::string path;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const PathSegment& segment = **it;
    if (segment.index != PathSegment::kMemberIndex && segment.index != PathSegment::kMapKeyIndex) {
      path += "[" + std::to_string(segment.index) + "]";
    } else if (segment.index == PathSegment::kMemberIndex && is_plain_key(segment.key)) {
      if (!path.empty()) path += '.';
      path += segment.key;
    } else {
      path += "[";
      path += segment.key;
      path += "]";
    }
  }
  return path;
}

void FieldReader::fail(const Field& field, std::string_view message) {
  if (error_) return;
  const bool json = field.is_json();
  std::string text = source_;
  if (json) {
    if (!text.empty()) text += ": ";
  } else {
    text += source_.empty() ? "line " : ":";
    text += std::to_string(field.line_);
    text += ": ";
  }
  if (const std::string path = path_of(field); !path.empty()) {
    text += path;
    text += ": ";
  }
  text += message;
  error_ = Error{std::move(text)};
}

}  // namespace portico::controller
