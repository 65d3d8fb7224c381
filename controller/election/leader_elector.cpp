#include "controller/election/leader_elector.h"

#include <algorithm>
#include <cstdio>

#include "common/log.h"
#include "controller/election/lease_json.h"
#include "controller/kube/api_json.h"
#include "controller/kube/backoff.h"

namespace portico::controller::election {
namespace {

using Clock = std::chrono::steady_clock;

ElectionClock clocks_now() {
  return {Clock::now(), std::chrono::system_clock::now()};
}

Status validate(const LeaderElectionConfig& config) {
  if (config.namespace_.empty() || config.name.empty()) {
    return Error{"leader election needs the Lease's namespace and name"};
  }
  if (config.identity.empty()) return Error{"leader election needs an identity"};
  if (config.lease_duration < std::chrono::seconds(1)) {
    return Error{"leader election: the lease duration must be at least 1s"};
  }
  if (config.lease_duration <= config.renew_deadline) {
    return Error{"leader election: the lease duration must be greater than the renew deadline"};
  }
  if (config.retry_period <= std::chrono::milliseconds(0) ||
      config.renew_deadline.count() <= kJitterFactor * config.retry_period.count()) {
    return Error{"leader election: the renew deadline must be greater than retry period * 1.2"};
  }
  return Ok{};
}

}  // namespace

std::string candidate_identity(std::string_view pod_name) {
  std::random_device device;
  const uint64_t suffix = (static_cast<uint64_t>(device()) << 32) | device();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(suffix));
  return std::string(pod_name) + "_" + hex;
}

Result<std::unique_ptr<LeaderElector>> LeaderElector::create(kube::ApiClient& client,
                                                             LeaderElectionConfig config,
                                                             LeaderCallbacks callbacks) {
  if (Status valid = validate(config); !valid) return Error{valid.error()};
  return std::unique_ptr<LeaderElector>(
      new LeaderElector(client, std::move(config), std::move(callbacks)));
}

LeaderElector::LeaderElector(kube::ApiClient& client, LeaderElectionConfig config,
                             LeaderCallbacks callbacks)
    : client_(client),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      lease_path_("/apis/coordination.k8s.io/v1/namespaces/" + config_.namespace_ + "/leases"),
      lease_seconds_(std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration)),
      random_(std::random_device{}()) {}

LeaderElector::~LeaderElector() {
  stop();
}

void LeaderElector::start() {
  loop_.start([this] { run(); });
}

void LeaderElector::stop() {
  loop_.stop();
}

void LeaderElector::run() {
  log::info("leader election: candidate started",
            {{"lease", config_.namespace_ + "/" + config_.name}, {"identity", config_.identity}});
  while (acquire()) {
    log::info("leader election: became the leader",
              {{"lease", config_.namespace_ + "/" + config_.name}, {"identity", config_.identity}});
    if (callbacks_.on_started_leading) callbacks_.on_started_leading();
    renew();
    if (leader_until_.load() != 0) {  // stop() during the term
      step_down("stopping");
      if (config_.release_on_stop) release();
      return;
    }
  }
}

bool LeaderElector::acquire() {
  // Retry period stretched by up to JitterFactor, never growing: client-go's JitterUntil.
  kube::Backoff jitter({.initial = config_.retry_period,
                        .cap = config_.retry_period,
                        .factor = 1.0,
                        .jitter = kJitterFactor});
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  while (true) {
    {
      std::lock_guard lock(loop_.mutex());
      if (loop_.stopping()) return false;
    }
    if (try_acquire_or_renew() == Attempt::kLeading) return true;
    if (!loop_.sleep_for(jitter.next(uniform(random_)))) return false;
  }
}

void LeaderElector::renew() {
  while (true) {
    // Wait one retry period, but never past the end of the term: losing it is noticed at
    // once, not a period late.
    const auto until = Clock::time_point(Clock::duration(leader_until_.load()));
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (!loop_.sleep_for(
            std::max(std::chrono::milliseconds(0), std::min(config_.retry_period, remaining)))) {
      return;
    }
    if (!is_leader()) {
      step_down("failed to renew the lease within the renew deadline");
      return;
    }
    const Attempt attempt = try_acquire_or_renew();
    if (attempt == Attempt::kFollowing) {
      step_down("the lease is held by " + reported_holder_);
      return;
    }
  }
}

LeaderElector::Attempt LeaderElector::try_acquire_or_renew() {
  const ElectionClock now = clocks_now();
  // A term lasts renew_deadline from the start of the write that renewed it: others cannot
  // take over before they have seen that write plus lease_duration, which is longer.
  const auto term_end = (now.local + config_.renew_deadline).time_since_epoch().count();

  if (auto renewal = optimistic_renewal(observed_, config_.identity, lease_seconds_, now)) {
    if (write_lease(kube::Method::kPut, *renewal)) {
      leader_until_.store(term_end, std::memory_order_release);
      return Attempt::kLeading;
    }
  }

  Result<std::optional<LeaseRecord>> current = read_lease();
  if (!current) {
    log::warn("leader election: cannot read the lease",
              {{"lease", config_.namespace_ + "/" + config_.name}, {"error", current.error()}});
    return Attempt::kFailed;
  }
  const LeaseDecision decision =
      decide_lease(current.value(), observed_, config_.identity, lease_seconds_, now);
  observed_ = decision.observation;
  if (current.value()) report_holder(current.value()->holder_identity);
  if (decision.action == LeaseAction::kFollow) return Attempt::kFollowing;

  const kube::Method method =
      decision.action == LeaseAction::kCreate ? kube::Method::kPost : kube::Method::kPut;
  if (!write_lease(method, decision.record)) return Attempt::kFailed;
  leader_until_.store(term_end, std::memory_order_release);
  return Attempt::kLeading;
}

Result<std::optional<LeaseRecord>> LeaderElector::read_lease() {
  Result<kube::ApiResponse> response =
      client_.call(kube::Method::kGet, lease_path_ + "/" + config_.name);
  if (!response) return Error{response.error()};
  const kube::ApiResponse& answer = response.value();
  if (answer.status == 404) return std::optional<LeaseRecord>();
  if (answer.status / 100 != 2) return Error{kube::describe_error(answer.status, answer.body)};
  Result<LeaseRecord> record = parse_lease(answer.body);
  if (!record) return Error{record.error()};
  return std::optional<LeaseRecord>(std::move(record.value()));
}

bool LeaderElector::write_lease(kube::Method method, const LeaseRecord& record) {
  const std::string target =
      method == kube::Method::kPost ? lease_path_ : lease_path_ + "/" + config_.name;
  Result<kube::ApiResponse> response =
      client_.call(method, target, lease_json(config_.namespace_, config_.name, record));
  std::string error;
  if (!response) {
    error = response.error();
  } else if (response.value().status / 100 != 2) {
    error = kube::describe_error(response.value().status, response.value().body);
  } else if (Result<LeaseRecord> written = parse_lease(response.value().body); !written) {
    error = "unreadable response: " + written.error();
  } else {
    observed_ = Observation{std::move(written.value()), Clock::now()};
    report_holder(observed_->record.holder_identity);
    return true;
  }
  // A 409 is the optimistic-concurrency rule doing its job: someone wrote first.
  const bool conflict = response && response.value().status == 409;
  log::write(conflict ? log::Level::kInfo : log::Level::kWarn,
             "leader election: cannot write the lease",
             {{"lease", config_.namespace_ + "/" + config_.name}, {"error", error}});
  return false;
}

void LeaderElector::step_down(std::string_view reason) {
  leader_until_.store(0, std::memory_order_release);
  log::info("leader election: stopped leading", {{"lease", config_.namespace_ + "/" + config_.name},
                                                 {"identity", config_.identity},
                                                 {"reason", std::string(reason)}});
  if (callbacks_.on_stopped_leading) callbacks_.on_stopped_leading();
}

void LeaderElector::release() {
  // client-go tryRelease: read, and hand back only what is still ours; a failed write (a
  // renewal raced the read) reads again, until the renew deadline.
  const auto deadline = Clock::now() + config_.renew_deadline;
  while (true) {
    Result<std::optional<LeaseRecord>> current = read_lease();
    if (current && (!current.value() || current.value()->holder_identity != config_.identity)) {
      return;
    }
    if (current) {
      const LeaseRecord released =
          released_record(*current.value(), std::chrono::system_clock::now());
      if (write_lease(kube::Method::kPut, released)) {
        log::info("leader election: released the lease",
                  {{"lease", config_.namespace_ + "/" + config_.name}});
        return;
      }
    } else {
      // Unreachable now, it will not be reachable in the seconds a shutdown has (or the
      // client was shut down): the Lease expires on its own after its duration.
      log::warn("leader election: cannot read the lease to release it; it will expire",
                {{"lease", config_.namespace_ + "/" + config_.name}, {"error", current.error()}});
      return;
    }
    if (Clock::now() + config_.retry_period > deadline) return;
    std::this_thread::sleep_for(config_.retry_period);
  }
}

void LeaderElector::report_holder(const std::string& holder) {
  if (holder == reported_holder_) return;
  reported_holder_ = holder;
  if (holder.empty()) {
    log::info("leader election: the lease is free",
              {{"lease", config_.namespace_ + "/" + config_.name}});
  } else {
    log::info("leader election: new leader observed",
              {{"lease", config_.namespace_ + "/" + config_.name}, {"leader", holder}});
  }
}

}  // namespace portico::controller::election
