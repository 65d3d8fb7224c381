#include "controller/standalone/manifest_parser.h"

#include <yaml-cpp/yaml.h>

#include "controller/decode/decoders.h"

namespace portico::controller {

ParsedManifest parse_manifest(const std::string& content, std::string_view file_name) {
  ParsedManifest parsed;
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(content);
  } catch (const YAML::Exception& error) {
    // yaml-cpp throws for syntax errors; this wrapper is the only place that sees it.
    parsed.errors.push_back(std::string(file_name) + ":" + std::to_string(error.mark.line + 1) +
                            ": " + error.msg);
    return parsed;
  }
  for (const YAML::Node& document : documents) {
    Result<std::vector<Object>> objects = decode_document(document, file_name);
    if (!objects) {
      parsed.errors.push_back(objects.error());
      continue;
    }
    for (Object& object : objects.value()) parsed.objects.push_back(std::move(object));
  }
  return parsed;
}

}  // namespace portico::controller
