// --access-log with --log-format json: one JSON object per request on stdout.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;
using Stream = ChildProcess::Stream;

class AccessLogTest : public SiteTest {
 protected:
  void SetUp() override { start_site({"--access-log", "--log-format", "json"}); }

  // The stdout lines that mention `request_id`.
  std::vector<std::string> access_lines_for(const std::string& request_id) {
    std::istringstream out(portico_.process->text_of(Stream::kStdout));
    std::vector<std::string> found;
    for (std::string line; std::getline(out, line);) {
      if (line.find(request_id) != std::string::npos) found.push_back(line);
    }
    return found;
  }
};

TEST_F(AccessLogTest, WritesOneJsonLinePerRequest) {
  struct Sent {
    std::string method;
    std::string target;
    std::string host;
    std::string request_id;
    std::string status;
  };
  const std::vector<Sent> requests = {
      {"GET", "/hello?x=1", kHost, "log-test-1", "200"},
      {"POST", "/form", kHost, "log-test-2", "200"},
      {"GET", "/status/418", kHost, "log-test-3", "418"},
      {"GET", "/", "nowhere.local", "log-test-4", "404"},
  };
  for (const Sent& sent : requests) {
    const auto response = http_request(portico_.http_port, sent.method, sent.target, sent.host,
                                       {{"X-Request-ID", sent.request_id}}, "");
    ASSERT_TRUE(response);
    EXPECT_EQ(std::to_string(response->status), sent.status);
  }
  for (const Sent& sent : requests) {
    SCOPED_TRACE(sent.request_id);
    ASSERT_TRUE(portico_.process->wait_for_line(sent.request_id, 5s));
    const auto lines = access_lines_for(sent.request_id);
    ASSERT_EQ(lines.size(), 1u) << portico_.process->text_of(Stream::kStdout);
    const std::string& line = lines.front();
    EXPECT_TRUE(line.starts_with("{") && line.ends_with("}")) << line;
    EXPECT_EQ(json_field(line, "status"), sent.status) << line;
    EXPECT_EQ(json_field(line, "method"), sent.method) << line;
    EXPECT_EQ(json_field(line, "target"), sent.target) << line;
    EXPECT_EQ(json_field(line, "request_id"), sent.request_id) << line;
  }
  // Logs go to stderr; stdout holds access lines only.
  std::istringstream out(portico_.process->text_of(Stream::kStdout));
  for (std::string line; std::getline(out, line);) {
    EXPECT_NE(line.find("\"request_id\":"), std::string::npos) << line;
  }
}

TEST_F(AccessLogTest, GeneratedRequestIdIsLoggedAndReturned) {
  const auto response = get("/no-id");
  ASSERT_TRUE(response);
  const std::string id = response->header("X-Request-ID");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(portico_.process->wait_for_line(id, 5s));
  const auto lines = access_lines_for(id);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json_field(lines.front(), "request_id"), id);
  EXPECT_EQ(json_field(lines.front(), "target"), "/no-id");
}

}  // namespace
}  // namespace portico::testing
