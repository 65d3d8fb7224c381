// Cookie-based session affinity with the real binary and real backends: one Service with
// three echo backends, an Ingress with affinity (shop.example) and one without
// (plain.example) in front of the same Service port.
#include <gtest/gtest.h>

#include <signal.h>

#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kStickyHost[] = "shop.example";
constexpr char kPlainHost[] = "plain.example";

struct Answer {
  int status = 0;
  std::string backend;     // the echo backend's name, "" without a 200
  std::string set_cookie;  // the whole Set-Cookie value, "" when absent
  int set_cookies = 0;     // how many Set-Cookie fields came
};

// "NAME=VALUE" from a Set-Cookie value, "" when it has no pair.
std::string cookie_pair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

class StickySessionTest : public ::testing::Test {
 protected:
  void start(const std::string& annotations) {
    backends_.emplace("a", start_backend("127.0.0.2", "a"));
    backends_.emplace("b", start_backend("127.0.0.3", "b"));
    backends_.emplace("c", start_backend("127.0.0.4", "c"));
    manifests_.write(
        "service.yaml",
        service_yaml("demo", "web", {&backends_["a"], &backends_["b"], &backends_["c"]}));
    manifests_.write(
        "sticky.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: sticky\n"
        "  namespace: demo\n  annotations:\n" +
            annotations + "spec:\n  ingressClassName: portico\n  rules:\n  - host: " + kStickyHost +
            "\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
            "        backend:\n          service:\n            name: web\n            port:\n"
            "              number: 80\n");
    manifests_.write("plain.yaml",
                     ingress_yaml("demo", "plain", {{kPlainHost, "/", "Prefix", "web"}}));
    portico_ = start_portico(manifests_.path(), {"--workers", "2"});
  }

  // One GET on a fresh connection, with `cookie` as its Cookie field when not empty.
  Answer get(const std::string& host, const std::string& cookie = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    const auto response = http_request(portico_.http_port, "GET", "/", host, headers);
    Answer answer;
    if (!response) return answer;
    answer.status = response->status;
    if (response->status == 200) answer.backend = json_field(response->body, "backend");
    answer.set_cookie = response->header("Set-Cookie");
    answer.set_cookies = response->count("Set-Cookie");
    return answer;
  }

  void TearDown() override {
    if (HasFailure() && portico_.process) {
      std::cerr << "--- portico output ---\n" << portico_.process->output() << "---\n";
    }
  }

  TempDir manifests_;
  std::map<std::string, Backend> backends_;
  Portico portico_;
};

TEST_F(StickySessionTest, TheFirstResponseSetsTheCookieWithItsAttributes) {
  start(
      "    portico.io/affinity: cookie\n    portico.io/session-cookie-name: route\n"
      "    portico.io/session-cookie-max-age: \"3600\"\n"
      "    portico.io/session-cookie-path: /shop\n");
  const Answer first = get(kStickyHost);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.set_cookies, 1);
  EXPECT_TRUE(std::regex_match(
      first.set_cookie, std::regex("route=[0-9a-f]{16}; Path=/shop; Max-Age=3600; HttpOnly")))
      << first.set_cookie;
  // The value does not spell out the backend's address.
  EXPECT_EQ(first.set_cookie.find("127.0.0"), std::string::npos) << first.set_cookie;
}

TEST_F(StickySessionTest, IngressNginxAnnotationsGiveASessionCookieWithTheDefaults) {
  start("    nginx.ingress.kubernetes.io/affinity: cookie\n");
  const Answer first = get(kStickyHost);
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(std::regex_match(first.set_cookie,
                               std::regex("PORTICO_AFFINITY=[0-9a-f]{16}; Path=/; HttpOnly")))
      << first.set_cookie;
}

TEST_F(StickySessionTest, RequestsWithTheCookieStayOnOneBackendWhereRoundRobinSpreads) {
  start("    portico.io/affinity: cookie\n");
  // Without a cookie, round robin spreads the requests, and each response pins its client
  // to the backend that answered it: one cookie value per backend.
  std::map<std::string, std::set<std::string>> cookies_by_backend;
  for (int i = 0; i < 9; ++i) {
    const Answer answer = get(kStickyHost);
    ASSERT_EQ(answer.status, 200);
    cookies_by_backend[answer.backend].insert(cookie_pair(answer.set_cookie));
  }
  ASSERT_EQ(cookies_by_backend.size(), 3u);
  std::set<std::string> values;
  for (const auto& [backend, cookies] : cookies_by_backend) {
    ASSERT_EQ(cookies.size(), 1u) << backend;
    values.insert(*cookies.begin());
  }
  EXPECT_EQ(values.size(), 3u);

  const Answer first = get(kStickyHost);
  const std::string cookie = cookie_pair(first.set_cookie);
  ASSERT_FALSE(cookie.empty());
  std::map<std::string, int> served;
  int set_again = 0;
  for (int i = 0; i < 50; ++i) {
    const Answer answer = get(kStickyHost, "theme=dark; " + cookie);
    ++served[answer.backend];
    set_again += answer.set_cookies;
  }
  EXPECT_EQ(served, (std::map<std::string, int>{{first.backend, 50}}));
  EXPECT_EQ(set_again, 0) << "a valid cookie is not set again";
}

TEST_F(StickySessionTest, WhenThePinnedBackendDiesTheClientIsRepinnedElsewhere) {
  start("    portico.io/affinity: cookie\n");
  const Answer first = get(kStickyHost);
  ASSERT_EQ(first.status, 200);
  const std::string old_cookie = cookie_pair(first.set_cookie);
  ASSERT_EQ(get(kStickyHost, old_cookie).backend, first.backend);

  Backend& pinned = backends_[first.backend];
  pinned.process->signal(SIGKILL);
  ASSERT_TRUE(pinned.process->wait_output_closed(5s));

  const Answer moved = get(kStickyHost, old_cookie);
  ASSERT_EQ(moved.status, 200);
  EXPECT_NE(moved.backend, first.backend);
  const std::string new_cookie = cookie_pair(moved.set_cookie);
  ASSERT_FALSE(new_cookie.empty()) << "the fallback response re-pins the client";
  EXPECT_NE(new_cookie, old_cookie);
  // The new cookie holds, on the backend that answered.
  for (int i = 0; i < 10; ++i) {
    const Answer answer = get(kStickyHost, new_cookie);
    EXPECT_EQ(answer.backend, moved.backend);
    EXPECT_EQ(answer.set_cookies, 0);
  }
}

TEST_F(StickySessionTest, WhenThePinnedBackendLeavesTheServiceTheClientIsRepinned) {
  start("    portico.io/affinity: cookie\n");
  const Answer first = get(kStickyHost);
  ASSERT_EQ(first.status, 200);
  const std::string old_cookie = cookie_pair(first.set_cookie);
  std::vector<const Backend*> remaining;
  for (const auto& [name, backend] : backends_) {
    if (name != first.backend) remaining.push_back(&backend);
  }
  manifests_.write("service.yaml", service_yaml("demo", "web", remaining));

  // The backend still runs: only the new snapshot can move the client.
  Answer moved;
  ASSERT_TRUE(eventually([&] {
    moved = get(kStickyHost, old_cookie);
    return moved.status == 200 && moved.backend != first.backend;
  }));
  const std::string new_cookie = cookie_pair(moved.set_cookie);
  EXPECT_FALSE(new_cookie.empty());
  EXPECT_NE(new_cookie, old_cookie);
  EXPECT_EQ(get(kStickyHost, new_cookie).backend, moved.backend);
}

TEST_F(StickySessionTest, AGarbageCookieIsBalancedNormallyAndGetsANewCookie) {
  start("    portico.io/affinity: cookie\n");
  std::set<std::string> served;
  for (int i = 0; i < 6; ++i) {
    const Answer answer = get(kStickyHost, "PORTICO_AFFINITY=not-a-backend");
    ASSERT_EQ(answer.status, 200);
    served.insert(answer.backend);
    EXPECT_TRUE(std::regex_match(answer.set_cookie,
                                 std::regex("PORTICO_AFFINITY=[0-9a-f]{16}; Path=/; HttpOnly")))
        << answer.set_cookie;
  }
  EXPECT_EQ(served.size(), 3u) << "round robin, as without a cookie";
  // A well-formed value that names no backend of the Service is just as unknown.
  const Answer unknown = get(kStickyHost, "PORTICO_AFFINITY=0123456789abcdef");
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(unknown.set_cookies, 1);
}

TEST_F(StickySessionTest, AnIngressWithoutAffinitySetsNoCookie) {
  start("    portico.io/affinity: cookie\n");
  const std::string cookie = cookie_pair(get(kStickyHost).set_cookie);
  ASSERT_FALSE(cookie.empty());
  std::set<std::string> served;
  for (int i = 0; i < 6; ++i) {
    const Answer answer = get(kPlainHost, cookie);
    ASSERT_EQ(answer.status, 200);
    EXPECT_EQ(answer.set_cookies, 0) << answer.set_cookie;
    served.insert(answer.backend);
  }
  EXPECT_EQ(served.size(), 3u) << "the other Ingress' cookie pins nothing here";
}

}  // namespace
}  // namespace portico::testing
