#pragma once
// Posts Kubernetes Events from a bounded queue on its own thread, so that the reconciler can
// report without waiting on the API server: client-go's EventBroadcaster + EventSink, with
// repeats counted on one Event (EventCorrelator) and transport failures retried a bounded
// number of times.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "common/background_loop.h"
#include "controller/events/event.h"
#include "controller/events/event_correlator.h"
#include "controller/kube/api_client.h"

namespace portico::controller::events {

struct EventRecorderConfig {
  EventSource source;
  std::size_t queue_capacity = 1000;
  // Identical events within this long of the previous one are counted, not posted again.
  std::chrono::seconds aggregation_window{600};
  std::size_t remembered_events = 4096;  // client-go's LRU size
  // client-go: 12 tries 10 s apart (the first wait randomized), transport errors only; an
  // event the API server refuses is dropped.
  int max_tries = 12;
  std::chrono::milliseconds retry_sleep{10'000};
};

// Threads: record() from any thread; it takes the queue's mutex only to push (never waiting
// for the API server) and drops the event with a warning when the queue is full. start() runs
// the posting on the recorder's own thread. stop() (and the destructor) from any thread:
// abandons retries and the events still queued (logged), waits for a call in flight, joins.
// The ApiClient must outlive the recorder. Never throws.
class EventRecorder {
 public:
  EventRecorder(kube::ApiClient& client, EventRecorderConfig config);
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  void record(InvolvedObject object, EventType type, std::string reason, std::string message);
  void start();
  void stop();

 private:
  enum class Outcome { kDone, kRetry };

  void run();
  void send(const Event& event);
  Outcome post_or_patch(const Event& event, const std::string& key);
  Outcome create(const Event& event, const std::string& key, PostedEvent posted);
  std::string unique_name(const std::string& object_name, WallTime now);

  kube::ApiClient& client_;
  const EventRecorderConfig config_;

  // The recorder thread's own state.
  EventCorrelator correlator_;
  std::mt19937_64 random_;
  int64_t last_name_nanos_ = 0;

  // Guarded by loop_.mutex():
  std::deque<Event> queue_;
  bool dropping_ = false;  // a drop was logged; logged again once the queue has room

  BackgroundLoop loop_;  // last: its thread stops before the state it uses goes
};

}  // namespace portico::controller::events
