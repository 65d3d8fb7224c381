#pragma once
// The fake API server's objects and their history, knowing nothing of HTTP: JSON objects by
// (resource, namespace, name), one global resourceVersion counter, and every change since
// the last compact() as an event, which is what watches replay from.
//
// Not thread-safe: the owner serialises every call (the server holds its mutex). Stored
// objects are immutable and shared, so a caller may keep an ObjectRef after unlocking.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <cpprest/json.h>

namespace portico::testing {

struct StoredObject {
  web::json::value value;
  std::string json;  // `value` serialised
  std::string namespace_;
  std::string name;
  uint64_t resource_version = 0;
};
using ObjectRef = std::shared_ptr<const StoredObject>;

// A string field of `object`, "" when absent or not a string.
std::string string_field(const web::json::value& object, const std::string& key);

enum class EventType { kAdded, kModified, kDeleted };

struct StoreEvent {
  std::string resource;
  EventType type;
  ObjectRef object;    // the new state; for kDeleted the last state at the deletion's version
  ObjectRef previous;  // the state before (null for kAdded)
  uint64_t resource_version() const { return object->resource_version; }
};

// Where a paginated list goes on: after (namespace_, name), as of `resource_version`.
struct ContinueToken {
  uint64_t resource_version = 0;
  std::string namespace_;
  std::string name;

  std::string encode() const;  // opaque and URL-safe (lowercase hex)
  static std::optional<ContinueToken> decode(const std::string& text);
};

struct ListPage {
  std::vector<ObjectRef> items;
  std::optional<ContinueToken> next;  // set when `limit` cut the list short
  std::size_t remaining = 0;          // items after this page, when `next` is set
};

class ObjectStore {
 public:
  ObjectStore();

  // The latest assigned resourceVersion (0 before the first write).
  uint64_t resource_version() const { return resource_version_; }
  // Watches from this version or later can be replayed; older ones are gone (410).
  uint64_t compacted_at() const { return compacted_at_; }

  ObjectRef find(const std::string& resource, const std::string& namespace_,
                 const std::string& name) const;

  // Stores `object` (which must carry metadata.name) under the next resourceVersion, filling
  // metadata.uid and metadata.creationTimestamp (kept from the stored object, else new),
  // apiVersion and kind when absent and known, and records an ADDED or MODIFIED event, which
  // is returned (valid until the next write). Throws std::invalid_argument when metadata.name
  // is missing.
  const StoreEvent& put(const std::string& resource, web::json::value object);
  // Deletes and records a DELETED event (returned, valid until the next write); nullptr when
  // there is no such object.
  const StoreEvent* erase(const std::string& resource, const std::string& namespace_,
                          const std::string& name);

  // Objects of `resource` ordered by namespace then name; `namespace_` nullopt means every
  // namespace. `after` (a previous page's token) skips up to and including its key and keeps its
  // resourceVersion in the next token; `limit` 0 means no limit; objects failing `keep` are
  // skipped and do not count.
  ListPage list(const std::string& resource, const std::optional<std::string>& namespace_,
                const std::optional<ContinueToken>& after, std::size_t limit,
                const std::function<bool(const StoredObject&)>& keep) const;

  // Events with a resourceVersion above `since` (which must be >= compacted_at()), oldest
  // first.
  void for_each_event_since(uint64_t since,
                            const std::function<void(const StoreEvent&)>& visit) const;

  // Forgets the history; also takes a resourceVersion, so that every one handed out before
  // is older than compacted_at().
  void compact();

  // The kind of `resource`'s objects: learnt from stored objects, else the known table, else
  // empty.
  std::string kind_of(const std::string& resource) const;
  // Every resource that ever held an object, with whether one had a namespace.
  std::map<std::string, bool> resources() const;

 private:
  using Key = std::pair<std::string, std::string>;  // namespace, name
  using Objects = std::map<Key, ObjectRef>;

  ObjectRef make_stored(web::json::value object);
  std::string new_uid();

  uint64_t resource_version_ = 0;
  uint64_t compacted_at_ = 0;
  std::map<std::string, Objects> objects_;  // by resource
  std::vector<StoreEvent> history_;         // ascending resourceVersion, since compacted_at_
  std::map<std::string, std::string> kinds_;
  std::map<std::string, bool> namespaced_;
  std::mt19937_64 random_;
};

}  // namespace portico::testing
