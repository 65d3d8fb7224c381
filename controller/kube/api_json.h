#pragma once
// Reading the API machinery's own JSON: list pages, watch events and Status errors. Object
// bodies are left as JSON trees for the kind decoders. Pure; any thread; never throws.
#include <string>
#include <string_view>
#include <vector>

#include <cpprest/json.h>

#include "common/result.h"

namespace portico::controller::kube {

struct ListPage {
  std::vector<web::json::value> items;
  std::string resource_version;  // metadata.resourceVersion: where a watch continues
  std::string continue_token;    // metadata.continue: empty on the last page
};

Result<ListPage> parse_list_page(const std::string& body);

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  web::json::value object;
  std::string resource_version;  // object.metadata.resourceVersion; empty for ERROR
  int error_code = 0;            // ERROR: the Status' code (410: history compacted)
  std::string error_message;     // ERROR: the Status' message
};

// One line of a watch stream: {"type": ..., "object": {...}}.
Result<WatchEvent> parse_watch_event(std::string_view line);

// "namespace/name" (or "name") from an object's metadata: the store key, also for objects
// that do not decode. Empty when the metadata has no name.
std::string object_key(const web::json::value& object, bool namespaced);

// A readable reason from an error response: the Status' message and reason when the body is
// one, else the start of the body.
std::string describe_error(int status, const std::string& body);

}  // namespace portico::controller::kube
