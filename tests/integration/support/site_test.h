#pragma once
// The world most integration tests need: one echo backend behind Service demo/web, an
// Ingress demo/demo sending host demo.local to it, and portico started with the test's own
// flags. On failure, portico's output is printed to help the diagnosis.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"

namespace portico::testing {

class SiteTest : public ::testing::Test {
 protected:
  static constexpr const char* kHost = "demo.local";

  // Writes web.yaml and ingress.yaml (demo.local: "/" -> web, then `extra_rules`), then
  // starts portico with `args`. Tests write further manifests into manifests_ first.
  void start_site(const std::vector<std::string>& args = {},
                  const std::vector<Rule>& extra_rules = {});
  // The rules start_site() wrote: "/" -> web followed by `extra_rules`.
  static std::vector<Rule> site_rules(const std::vector<Rule>& extra_rules = {});

  // A request on a fresh connection to portico's proxy port.
  std::optional<HttpResponse> send(
      std::string_view method, std::string_view path,
      const std::vector<std::pair<std::string, std::string>>& headers = {},
      std::string_view body = {});
  std::optional<HttpResponse> get(std::string_view path) { return send("GET", path); }
  int status_of(std::string_view path);  // 0 when no response came

  void TearDown() override;

  Backend web_;
  TempDir manifests_;
  Portico portico_;
};

// The value of "key":"value" or "key":number in a one-line JSON object; "" when absent.
std::string json_field(std::string_view json, std::string_view key);

}  // namespace portico::testing
