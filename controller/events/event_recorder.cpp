#include "controller/events/event_recorder.h"

#include <algorithm>
#include <cstdio>

#include "common/log.h"
#include "controller/kube/api_json.h"

namespace portico::controller::events {
namespace {

std::string describe(const Event& event) {
  return event.object.kind + " " + event_namespace(event.object) + "/" + event.object.name + " " +
         event.reason;
}

bool success(int status) {
  return status / 100 == 2;
}

}  // namespace

EventRecorder::EventRecorder(kube::ApiClient& client, EventRecorderConfig config)
    : client_(client),
      config_(std::move(config)),
      correlator_(config_.aggregation_window, config_.remembered_events),
      random_(std::random_device{}()) {}

EventRecorder::~EventRecorder() {
  stop();
}

void EventRecorder::record(InvolvedObject object, EventType type, std::string reason,
                           std::string message) {
  bool dropped_first = false;
  {
    std::lock_guard lock(loop_.mutex());
    if (loop_.stopping()) return;
    if (queue_.size() >= config_.queue_capacity) {
      dropped_first = !dropping_;
      dropping_ = true;
    } else {
      dropping_ = false;
      queue_.push_back(
          Event{std::move(object), type, std::move(reason), truncate_message(std::move(message))});
    }
  }
  if (dropped_first) {
    log::warn("events: queue full, dropping events until it drains",
              {{"capacity", std::to_string(config_.queue_capacity)}});
    return;
  }
  loop_.wake().notify_one();
}

void EventRecorder::start() {
  loop_.start([this] { run(); });
}

void EventRecorder::stop() {
  loop_.stop();
  std::lock_guard lock(loop_.mutex());
  if (!queue_.empty()) {
    log::warn("events: not posted at shutdown", {{"events", std::to_string(queue_.size())}});
    queue_.clear();
  }
}

void EventRecorder::run() {
  while (true) {
    Event event;
    {
      std::unique_lock lock(loop_.mutex());
      loop_.wake().wait(lock, [this] { return loop_.stopping() || !queue_.empty(); });
      if (loop_.stopping()) return;
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    send(event);
  }
}

void EventRecorder::send(const Event& event) {
  const std::string key = aggregation_key(event);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int tries = 1;; ++tries) {
    if (post_or_patch(event, key) == Outcome::kDone) return;
    if (tries >= config_.max_tries) {
      log::error("events: cannot post event, giving up", {{"event", describe(event)}});
      return;
    }
    // The first wait is randomized so that replicas do not retry in step after an outage.
    auto delay = config_.retry_sleep;
    if (tries == 1) {
      delay = std::chrono::milliseconds(static_cast<int64_t>(delay.count() * uniform(random_)));
    }
    if (!loop_.sleep_for(delay)) return;
  }
}

EventRecorder::Outcome EventRecorder::post_or_patch(const Event& event, const std::string& key) {
  const WallTime now = std::chrono::system_clock::now();
  std::optional<PostedEvent> prior = correlator_.find(key, now);
  if (!prior) {
    const std::string name_space = event_namespace(event.object);
    return create(event, key,
                  PostedEvent{name_space, unique_name(event.object.name, now), 1, now, now});
  }
  PostedEvent counted = *prior;
  counted.count += 1;
  counted.last_timestamp = now;
  const std::string target = "/api/v1/namespaces/" + counted.namespace_ + "/events/" + counted.name;
  Result<kube::ApiResponse> response = client_.call(
      kube::Method::kPatch, target, count_patch_json(counted), "application/merge-patch+json");
  if (!response) {
    log::warn("events: cannot update event",
              {{"event", describe(event)}, {"error", response.error()}});
    return Outcome::kRetry;
  }
  if (success(response.value().status)) {
    correlator_.remember(key, std::move(counted));
    return Outcome::kDone;
  }
  if (response.value().status == 404) {
    // The Event expired (the API server keeps them an hour): post it again, count kept.
    counted.name = unique_name(event.object.name, now);
    return create(event, key, std::move(counted));
  }
  log::warn("events: event update refused",
            {{"event", describe(event)},
             {"error", kube::describe_error(response.value().status, response.value().body)}});
  return Outcome::kDone;
}

EventRecorder::Outcome EventRecorder::create(const Event& event, const std::string& key,
                                             PostedEvent posted) {
  const std::string target = "/api/v1/namespaces/" + posted.namespace_ + "/events";
  Result<kube::ApiResponse> response =
      client_.call(kube::Method::kPost, target, event_json(event, config_.source, posted));
  if (!response) {
    log::warn("events: cannot post event",
              {{"event", describe(event)}, {"error", response.error()}});
    return Outcome::kRetry;
  }
  if (success(response.value().status)) {
    correlator_.remember(key, std::move(posted));
    return Outcome::kDone;
  }
  log::warn("events: event refused",
            {{"event", describe(event)},
             {"error", kube::describe_error(response.value().status, response.value().body)}});
  return Outcome::kDone;
}

std::string EventRecorder::unique_name(const std::string& object_name, WallTime now) {
  // Strictly increasing per recorder, so two events in one clock tick never share a name.
  const int64_t nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  last_name_nanos_ = std::max(nanos, last_name_nanos_ + 1);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(last_name_nanos_));
  return object_name + "." + hex;
}

}  // namespace portico::controller::events
