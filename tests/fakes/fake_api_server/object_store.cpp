#include "tests/fakes/fake_api_server/object_store.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <stdexcept>

#include "tests/fakes/fake_api_server/api_path.h"

namespace portico::testing {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string now_rfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

std::string string_field(const web::json::value& object, const std::string& key) {
  if (!object.is_object()) return {};
  const auto& fields = object.as_object();
  const auto it = fields.find(key);
  return it != fields.end() && it->second.is_string() ? it->second.as_string() : std::string();
}

std::string ContinueToken::encode() const {
  const std::string text = std::to_string(resource_version) + '\n' + namespace_ + '\n' + name;
  std::string hex;
  hex.reserve(text.size() * 2);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kHexDigits[byte >> 4];
    hex += kHexDigits[byte & 15];
  }
  return hex;
}

std::optional<ContinueToken> ContinueToken::decode(const std::string& text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (error != std::errc() || end != text.data() + i + 2) return std::nullopt;
    bytes += static_cast<char>(value);
  }
  const std::size_t first = bytes.find('\n');
  const std::size_t second = bytes.find('\n', first == std::string::npos ? first : first + 1);
  if (second == std::string::npos) return std::nullopt;
  ContinueToken token;
  const auto [end, error] =
      std::from_chars(bytes.data(), bytes.data() + first, token.resource_version);
  if (error != std::errc() || end != bytes.data() + first) return std::nullopt;
  token.namespace_ = bytes.substr(first + 1, second - first - 1);
  token.name = bytes.substr(second + 1);
  return token;
}

ObjectStore::ObjectStore() : random_(std::random_device{}()) {}

ObjectRef ObjectStore::find(const std::string& resource, const std::string& namespace_,
                            const std::string& name) const {
  const auto objects = objects_.find(resource);
  if (objects == objects_.end()) return nullptr;
  const auto it = objects->second.find(Key(namespace_, name));
  return it == objects->second.end() ? nullptr : it->second;
}

const StoreEvent& ObjectStore::put(const std::string& resource, web::json::value object) {
  if (!object.is_object() || !object.has_object_field("metadata") ||
      string_field(object.at("metadata"), "name").empty()) {
    throw std::invalid_argument("fake API server: an object needs metadata.name");
  }
  web::json::value& metadata = object["metadata"];
  const std::string namespace_ = string_field(metadata, "namespace");
  ObjectRef previous = find(resource, namespace_, string_field(metadata, "name"));

  metadata["resourceVersion"] = web::json::value::string(std::to_string(++resource_version_));
  const web::json::value* previous_metadata = previous ? &previous->value.at("metadata") : nullptr;
  for (const char* key : {"uid", "creationTimestamp"}) {
    if (!string_field(metadata, key).empty()) continue;
    std::string value = previous_metadata ? string_field(*previous_metadata, key) : std::string();
    if (value.empty()) value = std::string(key) == "uid" ? new_uid() : now_rfc3339();
    metadata[key] = web::json::value::string(value);
  }
  if (!object.has_field("apiVersion")) {
    object["apiVersion"] = web::json::value::string(api_version_of(resource));
  }
  if (const std::string kind = string_field(object, "kind"); !kind.empty()) {
    kinds_[resource] = kind;
  } else if (const std::string known = kind_of(resource); !known.empty()) {
    object["kind"] = web::json::value::string(known);
  }
  namespaced_[resource] = namespaced_[resource] || !namespace_.empty();

  ObjectRef stored = make_stored(std::move(object));
  objects_[resource][Key(stored->namespace_, stored->name)] = stored;
  const EventType type = previous ? EventType::kModified : EventType::kAdded;
  history_.push_back(StoreEvent{resource, type, std::move(stored), std::move(previous)});
  return history_.back();
}

const StoreEvent* ObjectStore::erase(const std::string& resource, const std::string& namespace_,
                                     const std::string& name) {
  ObjectRef previous = find(resource, namespace_, name);
  if (!previous) return nullptr;
  objects_[resource].erase(Key(namespace_, name));
  web::json::value last = previous->value;
  last["metadata"]["resourceVersion"] =
      web::json::value::string(std::to_string(++resource_version_));
  history_.push_back(
      StoreEvent{resource, EventType::kDeleted, make_stored(std::move(last)), std::move(previous)});
  return &history_.back();
}

ListPage ObjectStore::list(const std::string& resource,
                           const std::optional<std::string>& namespace_,
                           const std::optional<ContinueToken>& after, std::size_t limit,
                           const std::function<bool(const StoredObject&)>& keep) const {
  ListPage page;
  const auto found = objects_.find(resource);
  if (found == objects_.end()) return page;
  const Objects& objects = found->second;
  auto it = objects.begin();
  if (after && (!namespace_ || Key(*namespace_, "") <= Key(after->namespace_, after->name))) {
    it = objects.upper_bound(Key(after->namespace_, after->name));
  } else if (namespace_) {
    it = objects.lower_bound(Key(*namespace_, ""));
  }
  for (; it != objects.end(); ++it) {
    if (namespace_ && it->first.first != *namespace_) break;
    if (!keep(*it->second)) continue;
    if (limit != 0 && page.items.size() == limit) {
      if (!page.next) {
        const StoredObject& last = *page.items.back();
        page.next = ContinueToken{after ? after->resource_version : resource_version_,
                                  last.namespace_, last.name};
      }
      ++page.remaining;
      continue;
    }
    page.items.push_back(it->second);
  }
  return page;
}

void ObjectStore::for_each_event_since(uint64_t since,
                                       const std::function<void(const StoreEvent&)>& visit) const {
  auto it = std::upper_bound(
      history_.begin(), history_.end(), since,
      [](uint64_t version, const StoreEvent& event) { return version < event.resource_version(); });
  for (; it != history_.end(); ++it) visit(*it);
}

void ObjectStore::compact() {
  history_.clear();
  // A version of its own, so that every version handed out before is too old, while a list
  // made afterwards gives one a watch can start from.
  compacted_at_ = ++resource_version_;
}

std::string ObjectStore::kind_of(const std::string& resource) const {
  if (const auto it = kinds_.find(resource); it != kinds_.end()) return it->second;
  if (const KnownResource* known = find_known_resource(resource)) return std::string(known->kind);
  return {};
}

std::map<std::string, bool> ObjectStore::resources() const {
  return namespaced_;
}

ObjectRef ObjectStore::make_stored(web::json::value object) {
  auto stored = std::make_shared<StoredObject>();
  const web::json::value& metadata = object.at("metadata");
  stored->namespace_ = string_field(metadata, "namespace");
  stored->name = string_field(metadata, "name");
  stored->resource_version = resource_version_;
  stored->json = object.serialize();
  stored->value = std::move(object);
  return stored;
}

std::string ObjectStore::new_uid() {
  // A random version-4 UUID.
  std::string uid;
  for (int part = 0; part < 2; ++part) {
    uint64_t bits = random_();
    for (int i = 0; i < 16; ++i, bits >>= 4) uid += kHexDigits[bits & 15];
  }
  uid[12] = '4';
  uid[16] = kHexDigits[8 + (random_() & 3)];
  return uid.substr(0, 8) + '-' + uid.substr(8, 4) + '-' + uid.substr(12, 4) + '-' +
         uid.substr(16, 4) + '-' + uid.substr(20);
}

}  // namespace portico::testing
