// The command line as a user meets it: usage errors exit 2 with one line on stderr, --help
// exits 0, a Kubernetes configuration that cannot be used exits 1 before anything listens.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/integration/support/child_process.h"
#include "tests/integration/support/portico_fixture.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;
using Stream = ChildProcess::Stream;

struct Outcome {
  std::optional<int> exit_code;
  std::string out;
  std::string err;
};

Outcome run_portico(const std::vector<std::string>& args) {
  ChildProcess process(PORTICO_BINARY, args);
  Outcome outcome;
  outcome.exit_code = process.wait_exit(10s);
  process.wait_output_closed(5s);
  outcome.out = process.text_of(Stream::kStdout);
  outcome.err = process.text_of(Stream::kStderr);
  return outcome;
}

class CommandLineTest : public ::testing::Test {
 protected:
  // A usage error must stop before anything starts: exit 2, one line naming `mentions`.
  void expect_usage_error(std::vector<std::string> args, const std::string& mentions) {
    args.insert(args.begin(), {"--manifests", manifests_.path().string()});
    const Outcome outcome = run_portico(args);
    ASSERT_TRUE(outcome.exit_code) << "did not exit: " << outcome.err;
    EXPECT_EQ(*outcome.exit_code, 2) << outcome.err;
    EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
    EXPECT_TRUE(outcome.err.ends_with("\n")) << outcome.err;
    EXPECT_NE(outcome.err.find(mentions), std::string::npos) << outcome.err;
    EXPECT_EQ(outcome.out, "");
  }

  TempDir manifests_;
};

TEST_F(CommandLineTest, UnknownFlagIsAUsageError) {
  expect_usage_error({"--frobnicate"}, "--frobnicate");
}

TEST_F(CommandLineTest, OutOfRangeWorkersIsAUsageError) {
  expect_usage_error({"--workers", "0"}, "--workers");
}

TEST_F(CommandLineTest, UnknownLogFormatIsAUsageError) {
  expect_usage_error({"--log-format", "xml"}, "--log-format");
}

TEST_F(CommandLineTest, MalformedDurationIsAUsageError) {
  expect_usage_error({"--idle-timeout", "soon"}, "--idle-timeout");
}

TEST_F(CommandLineTest, FlagWithoutItsValueIsAUsageError) {
  expect_usage_error({"--http-port"}, "--http-port");
}

TEST_F(CommandLineTest, UnreadableKubeconfigFailsBeforeServingAndNamesTheWayOut) {
  const std::string missing = manifests_.path().string() + "/no-such-kubeconfig";
  const Outcome outcome = run_portico({"--kubeconfig", missing, "--http-port", "0"});
  ASSERT_TRUE(outcome.exit_code) << outcome.err;
  EXPECT_EQ(*outcome.exit_code, 1);
  EXPECT_NE(outcome.err.find(missing), std::string::npos) << outcome.err;
  // Without a cluster, standalone mode is the answer: the message says so.
  EXPECT_NE(outcome.err.find("--manifests"), std::string::npos) << outcome.err;
  EXPECT_EQ(outcome.err.find("http listening"), std::string::npos) << outcome.err;
}

TEST_F(CommandLineTest, HelpExitsZeroAndDescribesTheFlags) {
  const Outcome outcome = run_portico({"--help"});
  ASSERT_TRUE(outcome.exit_code);
  EXPECT_EQ(*outcome.exit_code, 0);
  EXPECT_NE(outcome.out.find("--manifests"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("--drain-timeout"), std::string::npos) << outcome.out;
  EXPECT_EQ(outcome.err, "");
}

}  // namespace
}  // namespace portico::testing
