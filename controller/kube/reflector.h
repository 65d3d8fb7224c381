#pragma once
// client-go's Reflector for one resource: list, then watch from the list's resourceVersion,
// keeping the ObjectStore equal to the API server's view of that kind.
//  - A list reads pages of `page_size` and replaces the kind in the store at once.
//  - A watch asks for bookmarks and a server-side timeout drawn in [watch_timeout,
//    2 * watch_timeout) so that many watches do not end together; a watch that ends cleanly
//    is re-opened at once from the last resourceVersion seen (events and bookmarks move it).
//  - 410 Gone, as an HTTP status or as an ERROR event, means the history is compacted: relist.
//  - Any other failure (refused connection, 5xx, a stream silent for `idle_timeout`, a broken
//    line) backs off exponentially with jitter, then re-watches; list failures relist.
//  - An optional resource (a CRD) that the API server does not serve (404) counts as listed
//    and empty; the list is retried every `absent_recheck` until the CRD is installed.
//  - An object that does not decode is logged and skipped; the version stored before it, if
//    any, stays in use. Nothing is removed from the store while the API server is away: the
//    proxy keeps the last good routes.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include <cpprest/json.h>

#include "common/result.h"
#include "controller/kube/api_client.h"
#include "controller/kube/api_resource.h"
#include "controller/kube/backoff.h"
#include "controller/store/object_store.h"

namespace portico::controller::kube {

struct ReflectorOptions {
  std::string namespace_;  // empty: every namespace
  std::size_t page_size = 500;
  std::chrono::seconds watch_timeout{300};  // client-go's minWatchTimeout
  // Longer than the API server's bookmark interval (about a minute): silence this long means
  // the connection is dead even though no FIN arrived.
  std::chrono::seconds idle_timeout{90};
  BackoffOptions backoff;
  std::chrono::milliseconds absent_recheck{30000};
};

// What /readyz and the logs report about one reflector.
struct ReflectorState {
  std::string resource;  // "ingresses"
  bool synced = false;   // the first list is in the store
  bool healthy = false;  // the last list or watch attempt succeeded
  std::string last_error;
  std::chrono::steady_clock::time_point unhealthy_since;
};

// Threads: start() runs the loop on the reflector's own thread; state() from any thread.
// stop() ends the loop between requests; a request in flight ends only when the ApiClient
// is shut down, so owners call ApiClient::shutdown() before stop().
class Reflector {
 public:
  Reflector(ApiClient& client, WatchedResource resource, ObjectStore& store,
            ReflectorOptions options);
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  void start();
  void stop();
  ReflectorState state() const;

 private:
  void run();
  bool choose_resource();  // EndpointSlices or, when not served, Endpoints
  enum class ListEnd { kListed, kAbsent, kFailed };
  ListEnd list();  // kListed when the store holds a fresh list
  void wait_for(std::chrono::milliseconds delay);
  enum class WatchEnd { kReopen, kRelist, kFailed };
  WatchEnd watch();
  bool apply(const std::string& line, WatchEnd& end);
  void decode_into(const web::json::value& json, std::vector<Object>& objects,
                   std::vector<std::string>& undecodable);
  void succeeded();
  void failed(const std::string& error);
  void wait_backoff();
  std::string source_of(const web::json::value& json) const;

  ApiClient& client_;
  const WatchedResource watched_;
  ApiResource resource_;  // watched_.resource or its fallback, chosen on the loop thread
  ObjectStore& store_;
  const ReflectorOptions options_;
  Backoff backoff_;
  std::mt19937_64 random_;
  std::string resource_version_;  // loop thread only
  bool absent_ = false;           // loop thread only: the last list found no such API

  mutable std::mutex mutex_;  // guards state_, stopping_
  std::condition_variable wake_;
  ReflectorState state_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portico::controller::kube
