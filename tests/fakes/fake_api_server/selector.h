#pragma once
// fieldSelector and labelSelector as the fake API server applies them to stored objects:
// comma-separated terms, all of which must hold. Field terms are `path=value`, `path==value`
// or `path!=value` on dotted paths ("metadata.name", "type"); label terms add bare `key`
// (exists) and `!key`. A missing field reads as "". Set-based label terms (in, notin) are not
// supported. Immutable after parsing; thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include <cpprest/json.h>

#include "common/result.h"

namespace portico::testing {

class Selector {
 public:
  static Result<Selector> parse_fields(std::string_view text);
  static Result<Selector> parse_labels(std::string_view text);

  bool matches(const web::json::value& object) const;

 private:
  enum class Op { kEquals, kNotEquals, kExists, kNotExists };
  struct Term {
    std::vector<std::string> path;  // keys from the object root
    Op op;
    std::string value;
  };
  static Result<Selector> parse(std::string_view text, bool labels);

  std::vector<Term> terms_;
};

}  // namespace portico::testing
