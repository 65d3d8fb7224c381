#include "controller/kube/token_source.h"

#include <gtest/gtest.h>

#include "tests/unit/controller/standalone/temp_directory.h"

namespace portico::controller::kube {
namespace {

using std::chrono::seconds;

class TokenSourceTest : public ::testing::Test {
 protected:
  TokenSource file_source(std::string fallback = {}) {
    return TokenSource(std::move(fallback), (dir_.path() / "token").string(),
                       [this] { return now_; });
  }

  test_support::TempDirectory dir_;
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(TokenSourceTest, AStaticTokenIsSentAsIs) {
  TokenSource tokens("static-token", "");
  EXPECT_EQ(tokens.current(), "static-token");
  tokens.invalidate();
  EXPECT_EQ(tokens.current(), "static-token");
}

TEST_F(TokenSourceTest, TheFileIsReadAtMostOncePerPeriod) {
  dir_.write("token", "first\n");
  TokenSource tokens = file_source();
  EXPECT_EQ(tokens.current(), "first");
  dir_.write("token", "second");
  now_ += TokenSource::kRefreshPeriod - seconds(1);
  EXPECT_EQ(tokens.current(), "first");
  now_ += seconds(1);
  EXPECT_EQ(tokens.current(), "second");
}

TEST_F(TokenSourceTest, InvalidateRereadsAtOnce) {
  dir_.write("token", "first");
  TokenSource tokens = file_source();
  EXPECT_EQ(tokens.current(), "first");
  dir_.write("token", "second");
  tokens.invalidate();
  EXPECT_EQ(tokens.current(), "second");
}

TEST_F(TokenSourceTest, AnUnreadableFileKeepsTheLastToken) {
  ::testing::internal::CaptureStderr();
  TokenSource tokens = file_source("from-kubeconfig");
  EXPECT_EQ(tokens.current(), "from-kubeconfig");  // no file yet
  dir_.write("token", "from-file");
  tokens.invalidate();
  EXPECT_EQ(tokens.current(), "from-file");
  std::filesystem::remove(dir_.path() / "token");
  tokens.invalidate();
  EXPECT_EQ(tokens.current(), "from-file");
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find((dir_.path() / "token").string()), std::string::npos) << log;
  EXPECT_EQ(log.find("from-file"), std::string::npos) << "the token must never be logged";
}

}  // namespace
}  // namespace portico::controller::kube
