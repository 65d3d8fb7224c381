#include "tests/integration/support/site_test.h"

#include <iostream>

namespace portico::testing {

std::vector<Rule> SiteTest::site_rules(const std::vector<Rule>& extra_rules) {
  std::vector<Rule> rules = {{kHost, "/", "Prefix", "web"}};
  rules.insert(rules.end(), extra_rules.begin(), extra_rules.end());
  return rules;
}

void SiteTest::start_site(const std::vector<std::string>& args,
                          const std::vector<Rule>& extra_rules) {
  web_ = start_backend("127.0.0.2", "web");
  manifests_.write("web.yaml", service_yaml("demo", "web", {&web_}));
  manifests_.write("ingress.yaml", ingress_yaml("demo", "demo", site_rules(extra_rules)));
  portico_ = start_portico(manifests_.path(), args);
}

std::optional<HttpResponse> SiteTest::send(
    std::string_view method, std::string_view path,
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body) {
  return http_request(portico_.http_port, method, path, kHost, headers, body);
}

int SiteTest::status_of(std::string_view path) {
  const auto response = get(path);
  return response ? response->status : 0;
}

void SiteTest::TearDown() {
  if (HasFailure() && portico_.process) {
    std::cerr << "--- portico output ---\n" << portico_.process->output() << "---\n";
  }
}

std::string json_field(std::string_view json, std::string_view key) {
  const std::string marker = "\"" + std::string(key) + "\":";
  const std::size_t start = json.find(marker);
  if (start == std::string_view::npos) return "";
  std::size_t value = start + marker.size();
  if (value < json.size() && json[value] == '"') {
    std::string out;
    for (++value; value < json.size() && json[value] != '"'; ++value) {
      if (json[value] == '\\' && value + 1 < json.size()) ++value;
      out += json[value];
    }
    return out;
  }
  const std::size_t end = json.find_first_of(",}", value);
  return std::string(json.substr(value, end == std::string_view::npos ? end : end - value));
}

}  // namespace portico::testing
