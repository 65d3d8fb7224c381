#pragma once
// Writes status.loadBalancer.ingress of our Ingresses, as the leader only: ingress-nginx's
// status sync. Marked dirty by store changes and leadership starts, it computes the updates
// with the pure status_updates() and sends each as a JSON merge patch of the status
// subresource. Failed writes are retried with back-off; a periodic resync repairs status
// that someone else overwrote without a store change reaching us.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "common/background_loop.h"
#include "controller/kube/api_client.h"
#include "controller/kube/backoff.h"
#include "controller/status/publish_addresses.h"
#include "controller/status/status_updates.h"
#include "controller/translate/translate_options.h"

namespace portico::controller::status {

struct IngressStatusWriterConfig {
  PublishSource source;
  TranslateOptions options;
  std::chrono::milliseconds resync_period{60'000};  // ingress-nginx's status update interval
  kube::BackoffOptions retry;                       // after a failed write
};

// Threads: mark_dirty() from any thread; it only sets a flag under a mutex held for no more
// than that, never waiting for a write. start() runs the writes on the writer's own thread,
// which calls `contents` and `is_leader` (both must be thread-safe) and the ApiClient.
// stop() (and the destructor) joins; it waits for a write in flight. Never throws.
class IngressStatusWriter {
 public:
  IngressStatusWriter(kube::ApiClient& client, IngressStatusWriterConfig config,
                      std::function<StoreContents()> contents, std::function<bool()> is_leader);
  ~IngressStatusWriter();
  IngressStatusWriter(const IngressStatusWriter&) = delete;
  IngressStatusWriter& operator=(const IngressStatusWriter&) = delete;

  // Something may have changed: the store, or leadership (call it from on_started_leading, a
  // follower's marks are dropped).
  void mark_dirty();
  void start();
  void stop();

 private:
  using Clock = std::chrono::steady_clock;

  // What this writer last sent for one Ingress, and the Ingress' resourceVersion it was
  // computed from: until the store shows a newer version, the write is not repeated.
  struct Written {
    std::string resource_version;
    LoadBalancerStatus addresses;
  };

  void run();
  bool sync();  // false: some write failed, retry later
  bool write(const IngressStatusUpdate& update);

  kube::ApiClient& client_;
  const IngressStatusWriterConfig config_;
  const std::function<StoreContents()> contents_;
  const std::function<bool()> is_leader_;

  // The writer thread's own state.
  std::map<std::string, Written> written_;  // by Ingress key
  kube::Backoff backoff_;
  std::mt19937_64 random_;
  bool reported_missing_service_ = false;

  // Guarded by loop_.mutex():
  bool dirty_ = false;
  std::optional<Clock::time_point> retry_at_;

  BackgroundLoop loop_;  // last: its thread stops before the state it uses goes
};

}  // namespace portico::controller::status
