#include "controller/kube/reflector.h"

#include <cpprest/base_uri.h>

#include "common/log.h"
#include "controller/decode/api_decoders.h"
#include "controller/kube/api_json.h"

namespace portico::controller::kube {
namespace {

constexpr int kGone = 410;

bool is_success(int status) {
  return status >= 200 && status < 300;
}

std::string query_value(const std::string& text) {
  return web::uri::encode_data_string(text);
}

}  // namespace

Reflector::Reflector(ApiClient& client, WatchedResource resource, ObjectStore& store,
                     ReflectorOptions options)
    : client_(client),
      watched_(std::move(resource)),
      resource_(watched_.resource),
      store_(store),
      options_(std::move(options)),
      backoff_(options_.backoff),
      random_(std::random_device{}()) {
  state_.resource = resource_.plural;
}

Reflector::~Reflector() {
  stop();
}

void Reflector::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void Reflector::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ReflectorState Reflector::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void Reflector::run() {
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  while (!stopping() && !choose_resource()) wait_backoff();
  bool need_list = true;
  while (!stopping()) {
    if (need_list) {
      const ListEnd listed = list();
      if (listed == ListEnd::kFailed) {
        wait_backoff();
        continue;
      }
      if (listed == ListEnd::kAbsent) {
        wait_for(options_.absent_recheck);
        continue;
      }
      need_list = false;
    }
    switch (watch()) {
      case WatchEnd::kReopen:
        break;
      case WatchEnd::kRelist:
        need_list = true;
        break;
      case WatchEnd::kFailed:
        wait_backoff();
        break;
    }
  }
}

bool Reflector::choose_resource() {
  if (!watched_.fallback) return true;
  Result<ApiResponse> response = client_.call(Method::kGet, watched_.resource.group_version);
  if (!response) {
    failed("discovery of " + watched_.resource.group_version + ": " + response.error());
    return false;
  }
  const int status = response.value().status;
  if (status == 404) {
    resource_ = *watched_.fallback;
    log::info("API group not served; reading the fallback resource",
              {{"group", watched_.resource.group_version}, {"resource", resource_.plural}});
  } else if (!is_success(status)) {
    failed("discovery of " + watched_.resource.group_version + ": " +
           describe_error(status, response.value().body));
    return false;
  }
  std::lock_guard lock(mutex_);
  state_.resource = resource_.plural;
  return true;
}

Reflector::ListEnd Reflector::list() {
  const std::string path = resource_.collection_path(options_.namespace_);
  std::vector<Object> objects;
  std::vector<std::string> undecodable;
  std::string continue_token;
  std::string resource_version;
  do {
    std::string target = path + "?limit=" + std::to_string(options_.page_size);
    if (!resource_.field_selector.empty()) {
      target += "&fieldSelector=" + query_value(resource_.field_selector);
    }
    if (!continue_token.empty()) target += "&continue=" + query_value(continue_token);
    Result<ApiResponse> response = client_.call(Method::kGet, target);
    if (!response) {
      failed("list " + path + ": " + response.error());
      return ListEnd::kFailed;
    }
    if (response.value().status == 404 && watched_.optional) {
      if (!absent_) {
        log::info("optional API not installed; its kind stays empty until it is",
                  {{"resource", resource_.plural}, {"group", resource_.group_version}});
      }
      absent_ = true;
      store_.replace_kind(resource_.store_kind, {}, {});
      std::lock_guard lock(mutex_);
      state_.synced = true;
      state_.healthy = true;
      return ListEnd::kAbsent;
    }
    if (!is_success(response.value().status)) {
      // A 410 here is an expired continue token: the next attempt starts a fresh list.
      failed("list " + path + ": " +
             describe_error(response.value().status, response.value().body));
      return ListEnd::kFailed;
    }
    Result<ListPage> page = parse_list_page(response.value().body);
    if (!page) {
      failed("list " + path + ": " + page.error());
      return ListEnd::kFailed;
    }
    for (const web::json::value& item : page.value().items) {
      decode_into(item, objects, undecodable);
    }
    continue_token = std::move(page.value().continue_token);
    resource_version = std::move(page.value().resource_version);
  } while (!continue_token.empty());

  const std::size_t count = objects.size();
  store_.replace_kind(resource_.store_kind, std::move(objects), undecodable);
  resource_version_ = std::move(resource_version);
  absent_ = false;
  {
    std::lock_guard lock(mutex_);
    state_.synced = true;
  }
  succeeded();
  log::info("listed", {{"resource", resource_.plural},
                       {"objects", std::to_string(count)},
                       {"resourceVersion", resource_version_}});
  return ListEnd::kListed;
}

Reflector::WatchEnd Reflector::watch() {
  const std::string path = resource_.collection_path(options_.namespace_);
  const auto timeout = options_.watch_timeout.count();
  const auto timeout_seconds = timeout + std::uniform_int_distribution<int64_t>(
                                             0, std::max<int64_t>(timeout - 1, 0))(random_);
  std::string target =
      path + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + query_value(resource_version_) +
      "&timeoutSeconds=" + std::to_string(timeout_seconds);
  if (!resource_.field_selector.empty()) {
    target += "&fieldSelector=" + query_value(resource_.field_selector);
  }
  WatchEnd end = WatchEnd::kReopen;
  Result<ApiResponse> response = client_.stream_lines(
      target, [this, &end](std::string_view line) { return apply(std::string(line), end); },
      options_.idle_timeout);
  if (!response) {
    failed("watch " + path + ": " + response.error());
    return WatchEnd::kFailed;
  }
  const int status = response.value().status;
  if (status == kGone) {
    log::info("watch history compacted; relisting", {{"resource", resource_.plural}});
    return WatchEnd::kRelist;
  }
  // The CRD was removed: the next list finds it absent and empties the kind.
  if (status == 404 && watched_.optional) return WatchEnd::kRelist;
  if (!is_success(status)) {
    failed("watch " + path + ": " + describe_error(status, response.value().body));
    return WatchEnd::kFailed;
  }
  if (end == WatchEnd::kReopen) succeeded();
  return end;
}

// Applies one watch line; false ends the stream (an ERROR event or a broken line).
bool Reflector::apply(const std::string& line, WatchEnd& end) {
  Result<WatchEvent> parsed = parse_watch_event(line);
  if (!parsed) {
    failed(resource_.plural + " " + parsed.error());
    end = WatchEnd::kFailed;
    return false;
  }
  WatchEvent& event = parsed.value();
  switch (event.type) {
    case WatchEventType::kError:
      if (event.error_code == kGone) {
        log::info("watch history compacted; relisting", {{"resource", resource_.plural}});
        end = WatchEnd::kRelist;
      } else {
        failed("watch " + resource_.plural + ": error event " + std::to_string(event.error_code) +
               ": " + event.error_message);
        end = WatchEnd::kFailed;
      }
      return false;
    case WatchEventType::kBookmark:
      break;
    case WatchEventType::kDeleted: {
      const std::string key = object_key(event.object, resource_.namespaced);
      if (!key.empty()) store_.remove(resource_.store_kind, key);
      break;
    }
    case WatchEventType::kAdded:
    case WatchEventType::kModified: {
      std::vector<Object> objects;
      std::vector<std::string> undecodable;
      decode_into(event.object, objects, undecodable);
      for (Object& object : objects) store_.upsert(std::move(object));
      break;
    }
  }
  if (!event.resource_version.empty()) resource_version_ = std::move(event.resource_version);
  return true;
}

void Reflector::decode_into(const web::json::value& json, std::vector<Object>& objects,
                            std::vector<std::string>& undecodable) {
  const std::string source = source_of(json);
  Result<Object> object = decode_api_object(resource_.kind, json, source);
  if (object) {
    objects.push_back(std::move(object.value()));
    return;
  }
  log::warn("object skipped; its last good version, if any, stays in use",
            {{"error", object.error()}});
  std::string key = object_key(json, resource_.namespaced);
  if (!key.empty()) undecodable.push_back(std::move(key));
}

std::string Reflector::source_of(const web::json::value& json) const {
  return resource_.kind + " " + object_key(json, resource_.namespaced);
}

void Reflector::succeeded() {
  backoff_.reset();
  std::lock_guard lock(mutex_);
  if (!state_.healthy && !state_.last_error.empty()) {
    log::info("API server reachable again", {{"resource", resource_.plural}});
  }
  state_.healthy = true;
}

void Reflector::failed(const std::string& error) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;  // requests cut short by shutdown are not failures
  if (state_.healthy || state_.last_error.empty()) {
    state_.unhealthy_since = std::chrono::steady_clock::now();
  }
  state_.healthy = false;
  state_.last_error = error;
  log::warn("API request failed; keeping the last good state", {{"error", error}});
}

void Reflector::wait_backoff() {
  wait_for(backoff_.next(std::uniform_real_distribution<double>(0.0, 1.0)(random_)));
}

void Reflector::wait_for(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace portico::controller::kube
