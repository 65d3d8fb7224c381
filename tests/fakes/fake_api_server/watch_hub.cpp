#include "tests/fakes/fake_api_server/watch_hub.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstdio>

#include "tests/fakes/fake_api_server/api_path.h"

namespace portico::testing {
namespace {

// {"type":TYPE,"object":OBJECT}\n as one HTTP chunk.
void append_chunk(std::string& out, const char* type, const std::string& object_json) {
  std::string line = R"({"type":")";
  ((((line += type) += R"(","object":)") += object_json) += "}\n");
  char size[24];
  std::snprintf(size, sizeof size, "%zx\r\n", line.size());
  ((out += size) += line) += "\r\n";
}

bool matches(const WatchSpec& spec, const StoredObject& object) {
  return spec.fields.matches(object.value) && spec.labels.matches(object.value);
}

}  // namespace

std::shared_ptr<Watch> WatchHub::open(WatchSpec spec, int fd) {
  auto watch = std::make_shared<Watch>();
  watch->spec = std::move(spec);
  watch->fd = fd;
  watch->next_bookmark = std::chrono::steady_clock::now() + watch->spec.bookmark_interval;
  watches_.push_back(watch);
  return watch;
}

void WatchHub::close(const Watch& watch) {
  std::erase_if(watches_, [&](const std::shared_ptr<Watch>& open) { return open.get() == &watch; });
}

bool WatchHub::queue_event(Watch& watch, const StoreEvent& event) const {
  if (event.resource != watch.spec.resource) return false;
  if (watch.spec.namespace_ && *watch.spec.namespace_ != event.object->namespace_) return false;
  const bool now_matches = matches(watch.spec, *event.object);
  const bool matched = event.previous && matches(watch.spec, *event.previous);
  const char* type = nullptr;
  switch (event.type) {
    case EventType::kAdded:
      if (now_matches) type = "ADDED";
      break;
    case EventType::kModified:
      if (now_matches) type = matched ? "MODIFIED" : "ADDED";
      if (!now_matches && matched) type = "DELETED";
      break;
    case EventType::kDeleted:
      if (matched) type = "DELETED";
      break;
  }
  if (type == nullptr) return false;
  append_chunk(watch.pending, type, event.object->json);
  return true;
}

void WatchHub::queue_added(Watch& watch, const StoredObject& object) const {
  append_chunk(watch.pending, "ADDED", object.json);
}

void WatchHub::queue_error(Watch& watch, const std::string& status_json) const {
  append_chunk(watch.pending, "ERROR", status_json);
  watch.finish_after_pending = true;
}

void WatchHub::queue_bookmark(Watch& watch) const {
  web::json::value object = web::json::value::object();
  object["kind"] = web::json::value::string(store_.kind_of(watch.spec.resource));
  object["apiVersion"] = web::json::value::string(api_version_of(watch.spec.resource));
  object["metadata"]["resourceVersion"] =
      web::json::value::string(std::to_string(store_.resource_version()));
  append_chunk(watch.pending, "BOOKMARK", object.serialize());
}

void WatchHub::publish(const StoreEvent& event) {
  for (const std::shared_ptr<Watch>& watch : watches_) {
    if (queue_event(*watch, event)) watch->wake.notify_all();
  }
}

void WatchHub::send_bookmarks() {
  if (stalled_) return;
  for (const std::shared_ptr<Watch>& watch : watches_) {
    if (!watch->spec.bookmarks) continue;
    queue_bookmark(*watch);
    watch->wake.notify_all();
  }
}

void WatchHub::drop_all() {
  for (const std::shared_ptr<Watch>& watch : watches_) {
    watch->dropped = true;
    ::shutdown(watch->fd, SHUT_RDWR);
    watch->wake.notify_all();
  }
}

void WatchHub::wake_all() {
  for (const std::shared_ptr<Watch>& watch : watches_) watch->wake.notify_all();
}

void WatchHub::set_stalled(bool stalled) {
  stalled_ = stalled;
  wake_all();
}

}  // namespace portico::testing
