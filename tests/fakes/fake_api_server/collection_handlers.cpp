// Lists, watches and creates: the handlers for collection URLs.
#include <charconv>
#include <chrono>
#include <optional>
#include <random>

#include "tests/fakes/fake_api_server/api_status.h"
#include "tests/fakes/fake_api_server/resource_handlers.h"

namespace portico::testing {
namespace {

using web::json::value;

std::string query_value(const ResourceRequest& request, const std::string& key) {
  const auto it = request.target.query.find(key);
  return it == request.target.query.end() ? std::string() : it->second;
}

std::optional<uint64_t> parse_number(const std::string& text) {
  uint64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<std::string> namespace_filter(const ResourceRequest& request) {
  if (request.path.namespace_.empty()) return std::nullopt;
  return request.path.namespace_;
}

Reply list(const ResourceRequest& request, const Selector& fields, const Selector& labels) {
  const ObjectStore& store = request.core.store;
  const std::string limit_text = query_value(request, "limit");
  const std::optional<uint64_t> limit = parse_number(limit_text.empty() ? "0" : limit_text);
  if (!limit) return error_reply(400, "invalid limit \"" + limit_text + "\"");
  std::optional<ContinueToken> after;
  if (const std::string text = query_value(request, "continue"); !text.empty()) {
    after = ContinueToken::decode(text);
    if (!after) return error_reply(400, "invalid continue token");
    if (after->resource_version < store.compacted_at()) {
      return error_reply(410,
                         "The provided continue parameter is too old to display a consistent "
                         "list result. You can start a new list without the continue parameter.");
    }
  }
  const ListPage page =
      store.list(request.path.resource, namespace_filter(request), after, *limit,
                 [&](const StoredObject& object) {
                   return fields.matches(object.value) && labels.matches(object.value);
                 });

  value metadata = value::object();
  metadata["resourceVersion"] =
      value::string(std::to_string(after ? after->resource_version : store.resource_version()));
  if (page.next) {
    metadata["continue"] = value::string(page.next->encode());
    metadata["remainingItemCount"] = value::number(static_cast<uint64_t>(page.remaining));
  }
  const std::string kind = store.kind_of(request.path.resource);
  value head = value::object();
  head["kind"] = value::string(kind + "List");
  head["apiVersion"] = value::string(api_version_of(request.path.resource));
  head["metadata"] = metadata;

  // The items are spliced in as stored text: a 50,000-object list is not re-serialised.
  std::string body = head.serialize();
  body.pop_back();  // the closing brace
  body += R"(,"items":[)";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) body += ',';
    body += page.items[i]->json;
  }
  body += "]}";
  return Reply{200, std::move(body), nullptr};
}

Reply watch(const ResourceRequest& request, Selector fields, Selector labels) {
  ServerCore& core = request.core;
  const std::string version_text = query_value(request, "resourceVersion");
  const bool from_now = version_text.empty() || version_text == "0";
  const std::optional<uint64_t> version = parse_number(from_now ? "0" : version_text);
  if (!version) return error_reply(400, "invalid resourceVersion \"" + version_text + "\"");
  const std::string timeout_text = query_value(request, "timeoutSeconds");
  const std::optional<uint64_t> timeout = parse_number(timeout_text.empty() ? "0" : timeout_text);
  if (!timeout) return error_reply(400, "invalid timeoutSeconds \"" + timeout_text + "\"");

  const bool too_old = !from_now && *version < core.store.compacted_at();
  const std::string expired = "too old resource version: " + std::to_string(*version) + " (" +
                              std::to_string(core.store.compacted_at()) + ")";
  if (too_old && core.plain_410) return error_reply(410, expired);

  WatchSpec spec;
  spec.resource = request.path.resource;
  spec.namespace_ = namespace_filter(request);
  spec.fields = std::move(fields);
  spec.labels = std::move(labels);
  const std::string bookmarks = query_value(request, "allowWatchBookmarks");
  spec.bookmarks = bookmarks == "true" || bookmarks == "1";
  spec.bookmark_interval = std::chrono::seconds(core.options.bookmark_interval_seconds);
  if (*timeout > 0)
    spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*timeout);

  std::shared_ptr<Watch> opened = core.watches.open(std::move(spec), request.fd);
  if (too_old) {
    core.watches.queue_error(*opened, status_json(410, "Expired", expired));
  } else if (from_now) {
    // As the API server does without a version: every current object as ADDED first.
    const ListPage existing = core.store.list(opened->spec.resource, opened->spec.namespace_,
                                              std::nullopt, 0, [&](const StoredObject& object) {
                                                return opened->spec.fields.matches(object.value) &&
                                                       opened->spec.labels.matches(object.value);
                                              });
    for (const ObjectRef& object : existing.items) core.watches.queue_added(*opened, *object);
  } else {
    core.store.for_each_event_since(
        *version, [&](const StoreEvent& event) { core.watches.queue_event(*opened, event); });
  }
  return Reply{200, {}, std::move(opened)};
}

std::string random_suffix() {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  thread_local std::mt19937 random(std::random_device{}());
  std::string suffix;
  for (int i = 0; i < 5; ++i) suffix += kAlphabet[random() % (sizeof kAlphabet - 1)];
  return suffix;
}

Reply create(const ResourceRequest& request) {
  Result<value> parsed = object_from_body(request);
  if (!parsed) return error_reply(400, parsed.error());
  value& object = parsed.value();
  value& metadata = object["metadata"];
  if (string_field(metadata, "name").empty()) {
    const std::string prefix = string_field(metadata, "generateName");
    if (prefix.empty())
      return error_reply(422, "metadata.name: Required value: name or generateName is required");
    metadata["name"] = value::string(prefix + random_suffix());
  }
  const std::string name = string_field(metadata, "name");
  if (request.core.store.find(request.path.resource, string_field(metadata, "namespace"), name)) {
    return Reply{
        409,
        object_status_json(409, "AlreadyExists", request.path.resource, name,
                           describe_object(request.path.resource, name) + " already exists"),
        nullptr};
  }
  if (metadata.has_field("resourceVersion")) metadata.erase("resourceVersion");
  const ObjectRef stored = request.core.write(request.path.resource, std::move(object));
  return Reply{201, stored->json, nullptr};
}

}  // namespace

Reply handle_collection(const ResourceRequest& request) {
  if (request.http.method == "POST") return create(request);
  if (request.http.method != "GET") return error_reply(405, "method not allowed on a collection");
  Result<Selector> fields = Selector::parse_fields(query_value(request, "fieldSelector"));
  if (!fields) return error_reply(400, fields.error());
  Result<Selector> labels = Selector::parse_labels(query_value(request, "labelSelector"));
  if (!labels) return error_reply(400, labels.error());
  const std::string watch_flag = query_value(request, "watch");
  if (watch_flag == "1" || watch_flag == "true") {
    return watch(request, std::move(fields.value()), std::move(labels.value()));
  }
  return list(request, fields.value(), labels.value());
}

}  // namespace portico::testing
