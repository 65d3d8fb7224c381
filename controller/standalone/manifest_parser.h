#pragma once
// One manifest file's text to objects: every YAML document in it (JSON is YAML too).
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/object.h"

namespace portico::controller {

struct ParsedManifest {
  std::vector<Object> objects;
  // "FILE:LINE: message", one per broken document (or one for a YAML syntax error, which
  // stops the parse). A file with any error is not used at all.
  std::vector<std::string> errors;
};

// Pure; any thread. `file_name` only labels messages.
ParsedManifest parse_manifest(const std::string& content, std::string_view file_name);

}  // namespace portico::controller
