#include "controller/kube/api_json.h"

#include <system_error>

namespace portico::controller::kube {
namespace {

using web::json::value;

const value* member(const value& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto& fields = object.as_object();
  auto it = fields.find(key);
  return it == fields.end() ? nullptr : &it->second;
}

std::string string_member(const value& object, const char* key) {
  const value* field = member(object, key);
  return field != nullptr && field->is_string() ? field->as_string() : std::string();
}

std::string metadata_string(const value& object, const char* key) {
  const value* metadata = member(object, "metadata");
  return metadata != nullptr ? string_member(*metadata, key) : std::string();
}

Result<value> parse_json(std::string_view text) {
  std::error_code error;
  value parsed = value::parse(std::string(text), error);
  if (error) return Error{"invalid JSON: " + error.message()};
  if (!parsed.is_object()) return Error{"invalid JSON: expected an object"};
  return parsed;
}

}  // namespace

Result<ListPage> parse_list_page(const std::string& body) {
  Result<value> parsed = parse_json(body);
  if (!parsed) return Error{"list response: " + parsed.error()};
  value& list = parsed.value();
  ListPage page;
  page.resource_version = metadata_string(list, "resourceVersion");
  page.continue_token = metadata_string(list, "continue");
  if (page.resource_version.empty()) {
    return Error{"list response: metadata.resourceVersion is missing"};
  }
  const value* items = member(list, "items");
  if (items == nullptr || items->is_null()) return page;  // an empty list may omit items
  if (!items->is_array()) return Error{"list response: items must be a list"};
  web::json::array& array = list.as_object()["items"].as_array();
  page.items.reserve(array.size());
  for (value& item : array) page.items.push_back(std::move(item));
  return page;
}

Result<WatchEvent> parse_watch_event(std::string_view line) {
  Result<value> parsed = parse_json(line);
  if (!parsed) return Error{"watch event: " + parsed.error()};
  value& event_json = parsed.value();
  const std::string type = string_member(event_json, "type");
  const value* object = member(event_json, "object");
  if (object == nullptr || !object->is_object()) {
    return Error{"watch event: \"object\" must be an object"};
  }
  WatchEvent event;
  if (type == "ADDED") {
    event.type = WatchEventType::kAdded;
  } else if (type == "MODIFIED") {
    event.type = WatchEventType::kModified;
  } else if (type == "DELETED") {
    event.type = WatchEventType::kDeleted;
  } else if (type == "BOOKMARK") {
    event.type = WatchEventType::kBookmark;
  } else if (type == "ERROR") {
    event.type = WatchEventType::kError;
    const value* code = member(*object, "code");
    event.error_code = code != nullptr && code->is_integer() ? code->as_integer() : 0;
    event.error_message = string_member(*object, "message");
    return event;
  } else {
    return Error{"watch event: unknown type \"" + type + "\""};
  }
  event.object = std::move(event_json.as_object()["object"]);
  event.resource_version = metadata_string(event.object, "resourceVersion");
  return event;
}

std::string object_key(const value& object, bool namespaced) {
  const std::string name = metadata_string(object, "name");
  if (name.empty()) return name;
  if (!namespaced) return name;
  std::string namespace_ = metadata_string(object, "namespace");
  return (namespace_.empty() ? std::string("default") : namespace_) + "/" + name;
}

std::string describe_error(int status, const std::string& body) {
  std::string text = "HTTP " + std::to_string(status);
  std::error_code error;
  const value parsed = value::parse(body, error);
  if (!error && string_member(parsed, "kind") == "Status") {
    const std::string message = string_member(parsed, "message");
    const std::string reason = string_member(parsed, "reason");
    if (!reason.empty()) text += " " + reason;
    if (!message.empty()) text += ": " + message;
    return text;
  }
  constexpr std::size_t kExcerpt = 200;
  if (!body.empty()) text += ": " + body.substr(0, kExcerpt);
  return text;
}

}  // namespace portico::controller::kube
