#pragma once
// A core/v1 Event: what the controller reports on an object (a skipped Ingress rule, a missing
// Service), and its JSON for the API server. Pure; any thread.
#include <chrono>
#include <cstdint>
#include <string>

namespace portico::controller::events {

using WallTime = std::chrono::system_clock::time_point;

// The object the event is about (core/v1 ObjectReference).
struct InvolvedObject {
  std::string kind;         // "Ingress"
  std::string api_version;  // "networking.k8s.io/v1"
  std::string namespace_;   // empty for cluster-scoped objects
  std::string name;
  std::string uid;

  bool operator==(const InvolvedObject&) const = default;
};

enum class EventType { kNormal, kWarning };

struct Event {
  InvolvedObject object;
  EventType type = EventType::kNormal;
  std::string reason;   // UpperCamelCase, e.g. "RuleSkipped"
  std::string message;  // at most kMaxMessageBytes once truncated

  bool operator==(const Event&) const = default;
};

// Who reports: source.component, reportingComponent and reportingInstance.
struct EventSource {
  std::string component = "portico";
  std::string reporting_controller = "portico.io/ingress-controller";
  std::string reporting_instance;  // the replica's identity
};

// The API server refuses longer messages; client-go truncates to the same size.
inline constexpr std::size_t kMaxMessageBytes = 1024;

// Cuts `message` to kMaxMessageBytes without splitting a UTF-8 sequence.
std::string truncate_message(std::string message);

// client-go's event key: identical events (same object, type, reason and message) are
// counted on one Event instead of each getting their own.
std::string aggregation_key(const Event& event);

// Events live in the namespace of their object; events on cluster-scoped objects live in
// "default", as client-go puts them.
std::string event_namespace(const InvolvedObject& object);

// A posted Event's identity and counters, remembered to aggregate repeats.
struct PostedEvent {
  std::string namespace_;
  std::string name;  // "<object name>.<hex unix nanos>", client-go's GenerateEventName
  int32_t count = 1;
  WallTime first_timestamp;
  WallTime last_timestamp;

  bool operator==(const PostedEvent&) const = default;
};

// The Event to POST to /api/v1/namespaces/{posted.namespace_}/events.
std::string event_json(const Event& event, const EventSource& source, const PostedEvent& posted);

// The merge patch that counts one more occurrence of a posted Event.
std::string count_patch_json(const PostedEvent& posted);

}  // namespace portico::controller::events
