#pragma once
// Leader election through a coordination.k8s.io/v1 Lease, client-go's LeaderElector with a
// LeaseLock: candidates retry acquiring every retry_period (jittered by JitterFactor 1.2);
// the leader renews every retry_period and gives up when it has not renewed for
// renew_deadline or sees the Lease held by someone else. The rules are the pure functions of
// lease_decision.h; this is the I/O around them.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include "common/background_loop.h"
#include "common/result.h"
#include "controller/election/lease_decision.h"
#include "controller/kube/api_client.h"

namespace portico::controller::election {

struct LeaderElectionConfig {
  std::string namespace_;
  std::string name;      // --election-id: the Lease's name
  std::string identity;  // unique per replica and per start: see candidate_identity()
  // client-go's defaults. The Lease carries whole seconds, so lease_duration is at least 1 s.
  std::chrono::milliseconds lease_duration{15'000};
  std::chrono::milliseconds renew_deadline{10'000};
  std::chrono::milliseconds retry_period{2'000};
  // client-go ReleaseOnCancel: stop() hands the Lease back so another replica takes over at
  // its next try instead of after lease_duration. Off only to simulate a crash in tests.
  bool release_on_stop = true;
};

// Both run on the elector's thread; they must not call stop(). on_stopped_leading runs only
// after an on_started_leading, once per term, with is_leader() already false.
struct LeaderCallbacks {
  std::function<void()> on_started_leading;
  std::function<void()> on_stopped_leading;
};

// client-go's JitterFactor: a candidate waits retry_period * [1, 2.2) between tries.
inline constexpr double kJitterFactor = 1.2;

// "<pod name>_<16 random hex digits>": a restarted pod is a new candidate, never mistaken for
// its previous life still holding the Lease.
std::string candidate_identity(std::string_view pod_name);

// Threads: start() runs the election on the elector's own thread; is_leader() from any
// thread, lock-free. stop() (and the destructor) from any thread but the elector's own (not
// from a callback): wakes the thread, lets an API call in flight finish, steps down (release
// included) and joins. The ApiClient must outlive the elector. Never throws; API errors are
// logged and retried.
class LeaderElector {
 public:
  // Checks client-go's constraints: lease_duration > renew_deadline > retry_period * 1.2,
  // lease_duration >= 1 s, names and identity set.
  static Result<std::unique_ptr<LeaderElector>> create(kube::ApiClient& client,
                                                       LeaderElectionConfig config,
                                                       LeaderCallbacks callbacks);
  ~LeaderElector();
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  void start();
  void stop();

  // True while this replica holds the Lease. Turns false by itself renew_deadline after the
  // start of the last successful renewal, even while the elector thread is stuck in a call,
  // so that a hung request can never stretch a term into the next leader's.
  bool is_leader() const noexcept {
    return std::chrono::steady_clock::now().time_since_epoch().count() <
           leader_until_.load(std::memory_order_acquire);
  }
  const std::string& identity() const { return config_.identity; }

 private:
  enum class Attempt { kLeading, kFollowing, kFailed };

  LeaderElector(kube::ApiClient& client, LeaderElectionConfig config, LeaderCallbacks callbacks);

  void run();
  bool acquire();  // false: stopping
  void renew();    // returns when the term ends (is_leader() false) or stop() was called
  Attempt try_acquire_or_renew();
  bool write_lease(kube::Method method, const LeaseRecord& record);
  Result<std::optional<LeaseRecord>> read_lease();
  void step_down(std::string_view reason);
  void release();
  void report_holder(const std::string& holder);

  kube::ApiClient& client_;
  const LeaderElectionConfig config_;
  const LeaderCallbacks callbacks_;
  const std::string lease_path_;
  const std::chrono::seconds lease_seconds_;

  // The elector thread's own state.
  std::optional<Observation> observed_;
  std::string reported_holder_;
  std::mt19937_64 random_;

  // steady_clock ticks until which this replica leads; 0 when it does not.
  std::atomic<std::chrono::steady_clock::rep> leader_until_{0};

  BackgroundLoop loop_;
};

}  // namespace portico::controller::election
