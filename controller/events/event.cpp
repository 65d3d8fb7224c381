#include "controller/events/event.h"

#include <cpprest/json.h>

#include "controller/election/rfc3339_format.h"

namespace portico::controller::events {
namespace {

using web::json::value;

std::string time_text(WallTime time) {
  return format_rfc3339(time, TimePrecision::kSeconds);
}

}  // namespace

std::string truncate_message(std::string message) {
  if (message.size() <= kMaxMessageBytes) return message;
  std::size_t cut = kMaxMessageBytes;
  // Back off over continuation bytes (10xxxxxx) to the start of the cut character.
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
  message.resize(cut);
  return message;
}

std::string aggregation_key(const Event& event) {
  // NUL separators: no field can contain one, so distinct events never share a key.
  const std::string parts[] = {event.object.kind,
                               event.object.api_version,
                               event.object.namespace_,
                               event.object.name,
                               event.object.uid,
                               event.type == EventType::kWarning ? "Warning" : "Normal",
                               event.reason,
                               event.message};
  std::string key;
  for (const std::string& part : parts) {
    key += part;
    key += '\0';
  }
  return key;
}

std::string event_namespace(const InvolvedObject& object) {
  return object.namespace_.empty() ? "default" : object.namespace_;
}

std::string event_json(const Event& event, const EventSource& source, const PostedEvent& posted) {
  value metadata = value::object();
  metadata["name"] = value::string(posted.name);
  metadata["namespace"] = value::string(posted.namespace_);

  value involved = value::object();
  involved["kind"] = value::string(event.object.kind);
  involved["apiVersion"] = value::string(event.object.api_version);
  if (!event.object.namespace_.empty()) {
    involved["namespace"] = value::string(event.object.namespace_);
  }
  involved["name"] = value::string(event.object.name);
  if (!event.object.uid.empty()) involved["uid"] = value::string(event.object.uid);

  value origin = value::object();
  origin["component"] = value::string(source.component);

  value body = value::object();
  body["apiVersion"] = value::string("v1");
  body["kind"] = value::string("Event");
  body["metadata"] = std::move(metadata);
  body["involvedObject"] = std::move(involved);
  body["reason"] = value::string(event.reason);
  body["message"] = value::string(event.message);
  body["type"] = value::string(event.type == EventType::kWarning ? "Warning" : "Normal");
  body["source"] = std::move(origin);
  body["firstTimestamp"] = value::string(time_text(posted.first_timestamp));
  body["lastTimestamp"] = value::string(time_text(posted.last_timestamp));
  body["count"] = value::number(posted.count);
  body["reportingComponent"] = value::string(source.reporting_controller);
  body["reportingInstance"] = value::string(source.reporting_instance);
  return body.serialize();
}

std::string count_patch_json(const PostedEvent& posted) {
  value patch = value::object();
  patch["count"] = value::number(posted.count);
  patch["lastTimestamp"] = value::string(time_text(posted.last_timestamp));
  return patch.serialize();
}

}  // namespace portico::controller::events
