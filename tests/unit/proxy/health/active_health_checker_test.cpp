#include "proxy/health/active_health_checker.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/unit/proxy/health/health_test_server.h"

namespace portico::proxy {
namespace {

using health_test::Clock;
using health_test::HealthTestServer;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

constexpr auto kPatience = 5s;  // how long a wait for something that must happen may take

// Polls `done` until it holds or `timeout` passes.
template <typename Predicate>
bool wait_until(Predicate done, Clock::duration timeout = kPatience) {
  const Clock::time_point give_up = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > give_up) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// Every verdict change the checker reports, in order.
class TransitionLog {
 public:
  struct Transition {
    std::string identity;
    bool passing;
    Clock::time_point at;
  };

  ActiveHealthChecker::TransitionCallback callback() {
    return [this](const std::string& identity, bool passing) {
      std::lock_guard lock(mutex_);
      transitions_.push_back({identity, passing, Clock::now()});
      changed_.notify_all();
    };
  }

  // Waits until `count` transitions have been reported; returns them all.
  std::vector<Transition> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPatience, [&] { return transitions_.size() >= count; });
    return transitions_;
  }

  std::vector<Transition> all() const {
    std::lock_guard lock(mutex_);
    return transitions_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Transition> transitions_;
};

ActiveHealthCheck check_every(milliseconds interval, uint32_t fall = 1, uint32_t rise = 1) {
  ActiveHealthCheck check;
  check.enabled = true;
  check.interval = interval;
  check.timeout = 1s;
  check.fall = fall;
  check.rise = rise;
  return check;
}

Endpoint endpoint_at(const boost::asio::ip::tcp::endpoint& address) {
  Endpoint endpoint;
  endpoint.address = address;
  endpoint.state = std::make_shared<EndpointState>(endpoint_identity(address));
  return endpoint;
}

std::shared_ptr<const Backend> backend(std::string name, const ActiveHealthCheck& check,
                                       std::vector<Endpoint> endpoints) {
  auto built = std::make_shared<Backend>();
  built->name = std::move(name);
  built->health_check = check;
  built->endpoints = std::move(endpoints);
  built->state = std::make_shared<BackendState>();
  return built;
}

std::shared_ptr<const RouteSnapshot> snapshot_of(
    std::vector<std::shared_ptr<const Backend>> backends) {
  auto snapshot = std::make_shared<RouteSnapshot>();
  snapshot->backends = std::move(backends);
  return snapshot;
}

std::size_t accepted(const HealthTestServer& server, std::size_t listener) {
  return server.stats(listener).accepted.size();
}

TEST(ActiveHealthCheckerTest, HttpCheckSendsTheDocumentedRequest) {
  HealthTestServer server(1);
  const Endpoint endpoint = endpoint_at(server.endpoint(0));
  ActiveHealthCheck check = check_every(50ms);
  check.path = "/ready?deep=1";
  ActiveHealthChecker checker;
  // Given before start(): applied once the thread runs.
  checker.update(snapshot_of({backend("ns/web:80", check, {endpoint})}));
  checker.start();

  ASSERT_TRUE(wait_until([&] { return !server.stats(0).requests.empty(); }));
  EXPECT_EQ(server.stats(0).requests.front(),
            "GET /ready?deep=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port(0)) +
                "\r\nUser-Agent: portico-health-check\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(checker.checked_endpoints(), 1u);
}

TEST(ActiveHealthCheckerTest, HttpStatusRangeDecidesPassOrFail) {
  HealthTestServer server(1);
  const Endpoint endpoint = endpoint_at(server.endpoint(0));
  ActiveHealthCheck check = check_every(50ms);
  check.status_min = 200;
  check.status_max = 299;
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  server.set_status(500);
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check, {endpoint})}));

  // With fall = rise = 1 each status that changes the verdict shows as one transition.
  const std::vector<std::pair<uint16_t, bool>> steps = {{500, false}, {200, true},  {300, false},
                                                        {299, true},  {199, false}, {250, true}};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    server.set_status(steps[i].first);
    const std::vector<TransitionLog::Transition> seen = log.wait_for(i + 1);
    ASSERT_EQ(seen.size(), i + 1) << "status " << steps[i].first;
    EXPECT_EQ(seen[i].passing, steps[i].second) << "status " << steps[i].first;
    EXPECT_EQ(seen[i].identity, endpoint.state->identity);
    EXPECT_EQ(endpoint.state->check_passing.load(), steps[i].second);
  }
}

TEST(ActiveHealthCheckerTest, TcpCheckPassesOnConnectAndFailsWhenRefused) {
  HealthTestServer server(1);
  server.set_mode(HealthTestServer::Mode::kHang);  // a TCP check must not wait for bytes
  const Endpoint endpoint = endpoint_at(server.endpoint(0));
  ActiveHealthCheck check = check_every(50ms);
  check.kind = ActiveHealthCheck::Kind::kTcp;
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  checker.start();
  checker.update(snapshot_of({backend("ns/db:5432", check, {endpoint})}));

  ASSERT_TRUE(wait_until([&] { return server.stats(0).held.size() >= 3; }));
  EXPECT_TRUE(log.all().empty());
  EXPECT_TRUE(endpoint.state->check_passing.load());
  EXPECT_EQ(server.stats(0).hang_bytes, 0u);  // connect, then close: nothing sent

  server.close(0);
  std::vector<TransitionLog::Transition> seen = log.wait_for(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].passing);
  EXPECT_FALSE(endpoint.state->check_passing.load());

  server.listen(0);
  seen = log.wait_for(2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[1].passing);
  EXPECT_TRUE(endpoint.state->check_passing.load());
}

TEST(ActiveHealthCheckerTest, TimeoutFailsACheckOnAServerThatNeverAnswers) {
  HealthTestServer server(1);
  server.set_mode(HealthTestServer::Mode::kHang);
  const Endpoint endpoint = endpoint_at(server.endpoint(0));
  ActiveHealthCheck check = check_every(50ms);
  check.timeout = 200ms;
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check, {endpoint})}));

  const std::vector<TransitionLog::Transition> seen = log.wait_for(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].passing);
  ASSERT_TRUE(wait_until([&] { return server.stats(0).held.size() >= 2; }));
  const HealthTestServer::Stats stats = server.stats(0);
  EXPECT_GT(stats.hang_bytes, 0u);  // the request went out; the answer never came
  for (const Clock::duration held : stats.held) {
    EXPECT_GE(held, 180ms);  // the checker waited for its timeout...
    EXPECT_LE(held, 700ms);  // ...and not much longer
  }
}

TEST(ActiveHealthCheckerTest, FallFailuresInARowTakeItDownAndRiseSuccessesBringItBack) {
  constexpr auto kInterval = 50ms;
  std::shared_ptr<EndpointState> state;
  std::mutex mutex;
  std::vector<std::pair<uint16_t, bool>> answers;  // status sent, verdict at that moment
  HealthTestServer server(1, [&](std::size_t, uint16_t status) {
    std::lock_guard lock(mutex);
    answers.emplace_back(status, state->check_passing.load());
  });
  Endpoint endpoint = endpoint_at(server.endpoint(0));
  state = endpoint.state;
  const auto answers_of = [&](uint16_t status) {
    std::lock_guard lock(mutex);
    std::vector<bool> verdicts;
    for (const auto& [sent, passing] : answers) {
      if (sent == status) verdicts.push_back(passing);
    }
    return verdicts;
  };
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check_every(kInterval, 3, 2), {endpoint})}));
  ASSERT_TRUE(wait_until([&] { return answers_of(200).size() >= 2; }));

  const Clock::time_point failing_since = Clock::now();
  server.set_status(503);
  std::vector<TransitionLog::Transition> seen = log.wait_for(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].passing);
  // Three checks at most 1.1 intervals apart, after up to one interval of phase.
  EXPECT_LT(seen[0].at - failing_since, kInterval * 4 * 11 / 10 + 500ms);
  ASSERT_TRUE(wait_until([&] { return answers_of(503).size() >= 4; }));
  std::vector<bool> verdicts = answers_of(503);
  // The first three failures were answered while the endpoint still passed; the fourth
  // check found it down.
  EXPECT_EQ(std::vector<bool>(verdicts.begin(), verdicts.begin() + 4),
            (std::vector<bool>{true, true, true, false}));

  server.set_status(200);
  seen = log.wait_for(2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[1].passing);
  EXPECT_TRUE(state->check_passing.load());
  // Among the answers after the switch back, two were given while the endpoint was down
  // and the third found it up again.
  const auto since_down = [&] {
    const std::vector<bool> all = answers_of(200);
    return std::vector<bool>(std::find(all.begin(), all.end(), false), all.end());
  };
  ASSERT_TRUE(wait_until([&] { return since_down().size() >= 3; }));
  verdicts = since_down();
  EXPECT_EQ(std::vector<bool>(verdicts.begin(), verdicts.begin() + 3),
            (std::vector<bool>{false, false, true}));
}

TEST(ActiveHealthCheckerTest, AnEndpointThatStaysKeepsItsFailureCount) {
  std::shared_ptr<EndpointState> state;
  std::mutex mutex;
  std::vector<bool> verdicts;  // at each answer of listener 0
  HealthTestServer server(2, [&](std::size_t listener, uint16_t) {
    if (listener != 0) return;
    std::lock_guard lock(mutex);
    verdicts.push_back(state->check_passing.load());
  });
  const auto verdicts_now = [&] {
    std::lock_guard lock(mutex);
    return verdicts;
  };
  server.set_status(503);
  const Endpoint stays = endpoint_at(server.endpoint(0));
  state = stays.state;
  const Endpoint joins = endpoint_at(server.endpoint(1));
  const ActiveHealthCheck check =
      check_every(1s, 3, 2);  // long enough that a loaded machine does not skip a step
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check, {stays})}));
  ASSERT_TRUE(wait_until([&] { return verdicts_now().size() == 2; }));

  // A new snapshot (a new backend object, one more endpoint) between the second and the
  // third failure.
  checker.update(snapshot_of({backend("ns/web:80", check, {stays, joins})}));
  ASSERT_TRUE(wait_until([&] { return checker.checked_endpoints() == 2; }));
  ASSERT_EQ(verdicts_now().size(), 2u) << "the machine stalled for a whole interval";

  ASSERT_TRUE(wait_until([&] { return verdicts_now().size() >= 4; }));
  const std::vector<bool> seen = verdicts_now();
  EXPECT_EQ(std::vector<bool>(seen.begin(), seen.begin() + 4),
            (std::vector<bool>{true, true, true, false}));
  const std::vector<TransitionLog::Transition> transitions = log.all();
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_EQ(transitions[0].identity, stays.state->identity);
}

TEST(ActiveHealthCheckerTest, ChecksOfManyEndpointsDoNotSynchronise) {
  constexpr std::size_t kEndpoints = 10;
  HealthTestServer server(kEndpoints);
  std::vector<Endpoint> endpoints;
  for (std::size_t i = 0; i < kEndpoints; ++i) endpoints.push_back(endpoint_at(server.endpoint(i)));
  ActiveHealthChecker checker;
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check_every(300ms), endpoints)}));

  ASSERT_TRUE(wait_until([&] {
    for (std::size_t i = 0; i < kEndpoints; ++i) {
      if (accepted(server, i) < 2) return false;
    }
    return true;
  }));
  std::vector<Clock::time_point> first_checks;
  for (std::size_t i = 0; i < kEndpoints; ++i) {
    first_checks.push_back(server.stats(i).accepted.front());
  }
  const auto [earliest, latest] = std::minmax_element(first_checks.begin(), first_checks.end());
  // Unjittered, all ten would start within a millisecond or two of update(); spread over
  // [0, 300 ms] at random, ten starts inside 20 ms happen about once in 10^10 runs.
  EXPECT_GT(*latest - *earliest, 20ms);
}

TEST(ActiveHealthCheckerTest, RemovedEndpointIsNoLongerChecked) {
  HealthTestServer server(2);
  const Endpoint leaves = endpoint_at(server.endpoint(0));
  const Endpoint stays = endpoint_at(server.endpoint(1));
  const ActiveHealthCheck check = check_every(50ms);
  ActiveHealthChecker checker;
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check, {leaves, stays})}));
  ASSERT_TRUE(wait_until([&] { return accepted(server, 0) >= 2 && accepted(server, 1) >= 2; }));
  EXPECT_EQ(checker.checked_endpoints(), 2u);

  checker.update(snapshot_of({backend("ns/web:80", check, {stays})}));
  ASSERT_TRUE(wait_until([&] { return checker.checked_endpoints() == 1; }));
  std::this_thread::sleep_for(100ms);  // a connection already made when it left lands now
  const std::size_t left_at = accepted(server, 0);
  const std::size_t other_at = accepted(server, 1);
  std::this_thread::sleep_for(400ms);  // eight intervals
  EXPECT_EQ(accepted(server, 0), left_at);
  EXPECT_GE(accepted(server, 1), other_at + 4);  // the checker itself kept going
}

TEST(ActiveHealthCheckerTest, RemovedEndpointThatWasDownIsReleased) {
  HealthTestServer server(1);
  server.set_status(500);
  const Endpoint endpoint = endpoint_at(server.endpoint(0));
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check_every(50ms), {endpoint})}));
  ASSERT_EQ(log.wait_for(1).size(), 1u);
  EXPECT_FALSE(endpoint.state->check_passing.load());

  // Checks turned off for the backend: nobody probes the endpoint any more, so it must not
  // stay out of rotation.
  ActiveHealthCheck off = check_every(50ms);
  off.enabled = false;
  checker.update(snapshot_of({backend("ns/web:80", off, {endpoint})}));
  const std::vector<TransitionLog::Transition> seen = log.wait_for(2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[1].passing);
  EXPECT_TRUE(endpoint.state->check_passing.load());
  EXPECT_TRUE(wait_until([&] { return checker.checked_endpoints() == 0; }));
}

TEST(ActiveHealthCheckerTest, EndpointSharedByTwoBackendsIsCheckedOnceWithTheFirstSettings) {
  HealthTestServer server(2);
  const Endpoint shared = endpoint_at(server.endpoint(0));
  const Endpoint unchecked = endpoint_at(server.endpoint(1));
  ActiveHealthCheck first = check_every(50ms);
  first.path = "/first";
  ActiveHealthCheck second = check_every(50ms);
  second.path = "/second";
  ActiveHealthCheck off = check_every(50ms);
  off.enabled = false;
  ActiveHealthChecker checker;
  checker.start();
  checker.update(
      snapshot_of({backend("ns/a:80", off, {unchecked, shared}),
                   backend("ns/b:80", first, {shared}), backend("ns/c:80", second, {shared})}));

  ASSERT_TRUE(wait_until([&] { return server.stats(0).requests.size() >= 6; }));
  EXPECT_EQ(checker.checked_endpoints(), 1u);
  for (const std::string& request : server.stats(0).requests) {
    EXPECT_EQ(request.rfind("GET /first HTTP/1.1\r\n", 0), 0u) << request;
  }
  EXPECT_EQ(accepted(server, 1), 0u);  // its only backend has checks off
}

TEST(ActiveHealthCheckerTest, PathThatCannotBeSentFailsWithoutConnecting) {
  HealthTestServer server(1);
  const Endpoint endpoint = endpoint_at(server.endpoint(0));
  ActiveHealthCheck check = check_every(50ms);
  check.path = "/a\r\nX-Injected: 1";
  TransitionLog log;
  ActiveHealthChecker checker(log.callback());
  checker.start();
  checker.update(snapshot_of({backend("ns/web:80", check, {endpoint})}));
  const std::vector<TransitionLog::Transition> seen = log.wait_for(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].passing);
  EXPECT_EQ(accepted(server, 0), 0u);
}

TEST(ActiveHealthCheckerTest, StopIsPromptWithChecksInFlight) {
  constexpr std::size_t kEndpoints = 5;
  HealthTestServer server(kEndpoints);
  server.set_mode(HealthTestServer::Mode::kHang);
  std::vector<Endpoint> endpoints;
  for (std::size_t i = 0; i < kEndpoints; ++i) endpoints.push_back(endpoint_at(server.endpoint(i)));
  ActiveHealthCheck check = check_every(50ms);
  check.timeout = 30s;
  auto checker = std::make_unique<ActiveHealthChecker>();
  checker->start();
  checker->update(snapshot_of({backend("ns/web:80", check, endpoints)}));
  ASSERT_TRUE(wait_until([&] {
    for (std::size_t i = 0; i < kEndpoints; ++i) {
      if (accepted(server, i) == 0) return false;
    }
    return true;
  }));

  const Clock::time_point stopping = Clock::now();
  checker->stop();
  EXPECT_LT(Clock::now() - stopping, 1s);  // not the 30 s the checks in flight would take
  checker->update(snapshot_of({}));        // ignored once stopped
  checker.reset();
  // Destroying the checker closed every connection it had open.
  EXPECT_TRUE(wait_until([&] {
    for (std::size_t i = 0; i < kEndpoints; ++i) {
      if (server.stats(i).held.size() != accepted(server, i)) return false;
    }
    return true;
  }));
}

}  // namespace
}  // namespace portico::proxy
