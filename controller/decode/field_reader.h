#pragma once
// Typed, strict reading of a YAML tree (manifests) or a JSON tree (API responses) with
// messages that name the field: "SOURCE:LINE: spec.rules[0].host: message" for YAML,
// "SOURCE: spec.rules[0].host: message" for JSON (which has no lines). yaml-cpp and
// cpprestsdk throw on type mismatches; this reader checks types first and never lets an
// exception out. Every node access lives in field_reader.cpp, so one decoder serves both trees.
//
// JSON is read by its types: a string field must be a JSON string, an integer a JSON integer,
// a boolean a JSON boolean. YAML scalars carry no type, so there a scalar is read as whatever
// the field wants. null is an absent field in both.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "controller/model/port_ref.h"

namespace web::json {
class value;
}  // namespace web::json

namespace portico::controller {

// A place in a document: the node there (absent when the field is missing) and where it is,
// for messages. Only a FieldReader looks inside; the path is kept as a link into the reader's
// path table and spelled out only when an error is reported. A plain value, used on the
// thread of the reader that made it.
class Field {
 public:
  bool present() const;
  // 1-based YAML line of the node (its parent's when the field is absent); 0 for JSON.
  int line() const { return line_; }

 private:
  friend class FieldReader;
  static constexpr uint32_t kRootPath = UINT32_MAX;

  Field(YAML::Node node, uint32_t path, int line)
      : node_(std::move(node)), path_(path), line_(line) {}
  Field(const web::json::value* node, uint32_t path) : node_(node), path_(path) {}

  bool is_json() const { return std::holds_alternative<const web::json::value*>(node_); }
  // The JSON node; nullptr when absent or when the tree is YAML.
  const web::json::value* json() const {
    return is_json() ? std::get<const web::json::value*>(node_) : nullptr;
  }
  const YAML::Node& yaml() const { return std::get<YAML::Node>(node_); }

  std::variant<YAML::Node, const web::json::value*> node_;  // JSON: nullptr when absent
  uint32_t path_ = kRootPath;                               // index into FieldReader::segments_
  int line_ = 0;
};

// Remembers the first problem it meets; after that every read returns an empty value, so a
// decoder reads straight through and checks ok() once at the end. Fields it hands out are
// valid only while the reader and the tree live. Not thread-safe: one reader per decode call,
// on the caller's thread.
class FieldReader {
 public:
  // `source` prefixes messages ("manifests/app.yaml", "Ingress default/web"); empty gives
  // "line N: ..." for YAML and "path: ..." for JSON.
  explicit FieldReader(std::string_view source) : source_(source) {}

  Field root(const YAML::Node& document) const;
  Field root(const web::json::value& document) const;
  // An absent member of an absent object is simply absent; a non-object parent is an error.
  // `key` must outlive the reader (decoders pass literals).
  Field member(const Field& object, std::string_view key);
  // The items of a sequence; none when absent.
  std::vector<Field> items(const Field& list);

  // Absent gives "" (or std::nullopt); a non-string is an error.
  std::string string(const Field& field);
  std::optional<std::string> optional_string(const Field& field);
  std::string required_string(const Field& field);  // absent or empty is an error
  std::optional<int64_t> integer(const Field& field, int64_t min, int64_t max);
  // A finite number: any JSON number; in YAML a decimal such as 10, 0.5 or 1e3 (no sign but
  // '-', no inf, nan or hex). Bounds are the caller's: many are exclusive ("> 0").
  std::optional<double> number(const Field& field);
  std::optional<bool> boolean(const Field& field);
  // Every value must be a string (labels, annotations).
  std::map<std::string, std::string> string_map(const Field& field);
  // A TCP/UDP port: 1..65535; 0 when absent.
  int32_t port_number(const Field& field);
  // IntOrString: a number, or a string of digits, is a port number; other strings a name.
  PortRef port_number_or_name(const Field& field);

  // Records `message` about `field` unless an error is already recorded. The message must
  // not quote secret values.
  void fail(const Field& field, std::string_view message);
  bool ok() const { return !error_; }

  // The value when every read succeeded, else the first error.
  template <typename T>
  Result<T> finish(T value) const {
    if (error_) return *error_;
    return Result<T>(std::move(value));
  }

 private:
  // One step of a path: a list index, or a key when `index` is kMemberIndex (an object's
  // field: "spec.rules") or kMapKeyIndex (an entry of a string map: "labels[app]").
  struct PathSegment {
    static constexpr uint32_t kMemberIndex = UINT32_MAX;
    static constexpr uint32_t kMapKeyIndex = UINT32_MAX - 1;
    uint32_t parent;
    uint32_t index;
    std::string_view key;
  };

  uint32_t push_segment(const Field& parent, std::string_view key, uint32_t index);
  // A missing child of `parent`, in the same tree.
  Field absent(const Field& parent, uint32_t path) const;
  std::string path_of(const Field& field) const;
  // Digits in `text` as an integer in [min, max]; anything else is an error on `field`.
  std::optional<int64_t> integer_from_text(const Field& field, const std::string& text, int64_t min,
                                           int64_t max);
  std::optional<int64_t> integer_in_range(const Field& field, int64_t value, int64_t min,
                                          int64_t max);

  std::string source_;
  std::vector<PathSegment> segments_;
  std::optional<Error> error_;
};

}  // namespace portico::controller
