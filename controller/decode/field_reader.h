#pragma once
// Typed, strict reading of a YAML (or JSON) tree with messages that name the field and the
// line. yaml-cpp throws on type mismatches; this reader checks types first and never lets an
// exception out.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "controller/model/port_ref.h"

namespace portico::controller {

// A place in a document: the node there (undefined when the field is absent), its path for
// messages ("spec.rules[0].host") and a 1-based line: the node's own, or its parent's when
// the field is absent.
struct Field {
  YAML::Node node;
  std::string path;
  int line = 0;

  bool present() const { return node.IsDefined() && !node.IsNull(); }
};

// Remembers the first problem it meets; after that every read returns an empty value, so a
// decoder reads straight through and checks ok() once at the end. Not thread-safe: one
// reader per decode call, on the caller's thread.
class FieldReader {
 public:
  // `source` prefixes messages ("manifests/app.yaml"); empty gives "line N: ...".
  explicit FieldReader(std::string_view source) : source_(source) {}

  Field root(const YAML::Node& document) const;
  // An absent member of an absent object is simply absent; a non-object parent is an error.
  Field member(const Field& object, std::string_view key);
  // The items of a sequence; none when absent.
  std::vector<Field> items(const Field& list);

  // Absent gives "" (or std::nullopt); a non-scalar is an error.
  std::string string(const Field& field);
  std::optional<std::string> optional_string(const Field& field);
  std::string required_string(const Field& field);  // absent or empty is an error
  std::optional<int64_t> integer(const Field& field, int64_t min, int64_t max);
  std::optional<bool> boolean(const Field& field);
  // Every value must be a scalar (labels, annotations).
  std::map<std::string, std::string> string_map(const Field& field);
  // A TCP/UDP port: 1..65535; 0 when absent.
  int32_t port_number(const Field& field);
  // IntOrString: digits are a port number, anything else a port name.
  PortRef port_number_or_name(const Field& field);

  void fail(const Field& field, std::string_view message);
  bool ok() const { return !error_; }

  // The value when every read succeeded, else the first error.
  template <typename T>
  Result<T> finish(T value) const {
    if (error_) return *error_;
    return Result<T>(std::move(value));
  }

 private:
  std::string source_;
  std::optional<Error> error_;
};

}  // namespace portico::controller
