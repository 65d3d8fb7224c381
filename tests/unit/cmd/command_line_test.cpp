#include "cmd/command_line.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace portico::cmd {
namespace {

using std::chrono::milliseconds;

constexpr unsigned kCores = 6;

// Parses `flags` with a manifests directory added, since every non-help run needs one.
Result<CommandLine> parse_with_manifests(std::vector<std::string> flags) {
  flags.insert(flags.begin(), {"--manifests", "/etc/portico"});
  return parse_command_line(flags, kCores);
}

CommandLine parse_ok(std::vector<std::string> flags) {
  Result<CommandLine> result = parse_with_manifests(std::move(flags));
  EXPECT_TRUE(result.ok()) << result.error();
  return result.ok() ? result.value() : CommandLine{};
}

// The error for one bad flag; checks it names the flag (the user must know what to fix).
std::string parse_error(const std::vector<std::string>& flags, const std::string& flag) {
  Result<CommandLine> result = parse_with_manifests(flags);
  EXPECT_FALSE(result.ok()) << "accepted: " << ::testing::PrintToString(flags);
  if (result.ok()) return "";
  EXPECT_NE(result.error().find(flag), std::string::npos) << result.error();
  return result.error();
}

TEST(CommandLineTest, DefaultsMatchTheDocumentedOnes) {
  const CommandLine line = parse_ok({});
  const proxy::ProxyOptions defaults;
  EXPECT_EQ(line.manifests_dir, "/etc/portico");
  EXPECT_EQ(line.proxy.workers, kCores);
  EXPECT_EQ(line.proxy.http_port, 8080);
  EXPECT_EQ(line.proxy.listen_address, "0.0.0.0");
  EXPECT_EQ(line.metrics_port, 9090);
  EXPECT_EQ(line.metrics_address, "0.0.0.0");
  EXPECT_EQ(line.ingress_class, "portico");
  EXPECT_EQ(line.load_balance, proxy::Algorithm::kRoundRobin);
  EXPECT_EQ(line.log_level, log::Level::kInfo);
  EXPECT_EQ(line.log_format, log::Format::kText);
  EXPECT_EQ(line.proxy.max_body_bytes, 0u);
  EXPECT_EQ(line.proxy.connect_timeout, defaults.connect_timeout);
  EXPECT_EQ(line.proxy.upstream_timeout, defaults.upstream_timeout);
  EXPECT_EQ(line.proxy.client_header_timeout, defaults.client_header_timeout);
  EXPECT_EQ(line.proxy.client_body_timeout, defaults.client_body_timeout);
  EXPECT_EQ(line.proxy.client_idle_timeout, defaults.client_idle_timeout);
  EXPECT_EQ(line.proxy.drain_timeout, defaults.drain_timeout);
  EXPECT_FALSE(line.proxy.access_log);
  EXPECT_FALSE(line.proxy.access_log_json);
  EXPECT_FALSE(line.show_help);
  EXPECT_FALSE(line.show_version);
}

TEST(CommandLineTest, WorkersDefaultFollowsTheCoreCount) {
  for (const unsigned cores : {1u, 3u, 64u}) {
    const Result<CommandLine> result = parse_command_line({"--manifests", "/m"}, cores);
    ASSERT_TRUE(result.ok()) << result.error();
    EXPECT_EQ(result.value().proxy.workers, cores);
  }
  // An unknown core count (0 from hardware_concurrency) still runs one worker.
  const Result<CommandLine> unknown = parse_command_line({"--manifests", "/m"}, 0);
  ASSERT_TRUE(unknown.ok()) << unknown.error();
  EXPECT_EQ(unknown.value().proxy.workers, 1u);
}

TEST(CommandLineTest, EveryValueFlagIsApplied) {
  // clang-format off
  const CommandLine line = parse_ok({
      "--http-port", "8181",
      "--listen-address", "127.0.0.2",
      "--metrics-port", "9191",
      "--metrics-address", "127.0.0.3",
      "--workers", "7",
      "--ingress-class", "internal",
      "--log-level", "debug",
      "--log-format", "json",
      "--max-body-size", "3k",
      "--connect-timeout", "1s",
      "--upstream-timeout", "2s",
      "--client-header-timeout", "3s",
      "--client-body-timeout", "4s",
      "--idle-timeout", "5s",
      "--drain-timeout", "6s",
      "--access-log"});
  // clang-format on
  EXPECT_EQ(line.proxy.http_port, 8181);
  EXPECT_EQ(line.proxy.listen_address, "127.0.0.2");
  EXPECT_EQ(line.metrics_port, 9191);
  EXPECT_EQ(line.metrics_address, "127.0.0.3");
  EXPECT_EQ(line.proxy.workers, 7u);
  EXPECT_EQ(line.ingress_class, "internal");
  EXPECT_EQ(line.log_level, log::Level::kDebug);
  EXPECT_EQ(line.log_format, log::Format::kJson);
  EXPECT_EQ(line.proxy.max_body_bytes, 3u * 1024);
  EXPECT_EQ(line.proxy.connect_timeout, milliseconds(1000));
  EXPECT_EQ(line.proxy.upstream_timeout, milliseconds(2000));
  EXPECT_EQ(line.proxy.client_header_timeout, milliseconds(3000));
  EXPECT_EQ(line.proxy.client_body_timeout, milliseconds(4000));
  EXPECT_EQ(line.proxy.client_idle_timeout, milliseconds(5000));
  EXPECT_EQ(line.proxy.drain_timeout, milliseconds(6000));
  EXPECT_TRUE(line.proxy.access_log);
  // The access log follows the log format.
  EXPECT_TRUE(line.proxy.access_log_json);
}

TEST(CommandLineTest, EqualsFormIsTheSameAsASeparateValue) {
  const CommandLine line = parse_ok({"--http-port=8282", "--workers=3", "--log-level=warn",
                                     "--idle-timeout=750ms", "--listen-address=::1"});
  EXPECT_EQ(line.proxy.http_port, 8282);
  EXPECT_EQ(line.proxy.workers, 3u);
  EXPECT_EQ(line.log_level, log::Level::kWarn);
  EXPECT_EQ(line.proxy.client_idle_timeout, milliseconds(750));
  EXPECT_EQ(line.proxy.listen_address, "::1");

  const Result<CommandLine> manifests = parse_command_line({"--manifests=/srv/k8s"}, kCores);
  ASSERT_TRUE(manifests.ok()) << manifests.error();
  EXPECT_EQ(manifests.value().manifests_dir, "/srv/k8s");
}

TEST(CommandLineTest, EqualsFormKeepsLaterEqualsSignsInTheValue) {
  const CommandLine line = parse_ok({"--ingress-class=a=b"});
  EXPECT_EQ(line.ingress_class, "a=b");
}

TEST(CommandLineTest, LaterFlagWins) {
  const CommandLine line = parse_ok({"--workers", "2", "--workers", "5"});
  EXPECT_EQ(line.proxy.workers, 5u);
}

TEST(CommandLineTest, LogLevelsAndFormats) {
  EXPECT_EQ(parse_ok({"--log-level", "info"}).log_level, log::Level::kInfo);
  EXPECT_EQ(parse_ok({"--log-level", "warn"}).log_level, log::Level::kWarn);
  EXPECT_EQ(parse_ok({"--log-level", "error"}).log_level, log::Level::kError);
  const CommandLine text = parse_ok({"--log-format", "json", "--log-format", "text"});
  EXPECT_EQ(text.log_format, log::Format::kText);
  EXPECT_FALSE(text.proxy.access_log_json);
}

TEST(CommandLineTest, PortZeroMeansPickAFreePort) {
  const CommandLine line = parse_ok({"--http-port", "0", "--metrics-port", "0"});
  EXPECT_EQ(line.proxy.http_port, 0);
  EXPECT_EQ(line.metrics_port, 0);
  EXPECT_EQ(parse_ok({"--http-port", "65535"}).proxy.http_port, 65535);
}

TEST(CommandLineTest, DurationUnits) {
  EXPECT_EQ(parse_ok({"--connect-timeout", "500ms"}).proxy.connect_timeout, milliseconds(500));
  EXPECT_EQ(parse_ok({"--connect-timeout", "5s"}).proxy.connect_timeout, milliseconds(5000));
  EXPECT_EQ(parse_ok({"--connect-timeout", "2m"}).proxy.connect_timeout, milliseconds(120'000));
  EXPECT_EQ(parse_ok({"--connect-timeout", "1h"}).proxy.connect_timeout, milliseconds(3'600'000));
  // A bare number is seconds.
  EXPECT_EQ(parse_ok({"--connect-timeout", "7"}).proxy.connect_timeout, milliseconds(7000));
  EXPECT_EQ(parse_ok({"--drain-timeout", "0"}).proxy.drain_timeout, milliseconds(0));
}

TEST(CommandLineTest, SizeUnitsAreBinaryMultiples) {
  EXPECT_EQ(parse_ok({"--max-body-size", "1048576"}).proxy.max_body_bytes, 1048576u);
  EXPECT_EQ(parse_ok({"--max-body-size", "1k"}).proxy.max_body_bytes, 1024u);
  EXPECT_EQ(parse_ok({"--max-body-size", "512K"}).proxy.max_body_bytes, 512u * 1024);
  EXPECT_EQ(parse_ok({"--max-body-size", "10m"}).proxy.max_body_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(parse_ok({"--max-body-size", "1g"}).proxy.max_body_bytes, 1ULL << 30);
  EXPECT_EQ(parse_ok({"--max-body-size", "2G"}).proxy.max_body_bytes, 2ULL << 30);
  EXPECT_EQ(parse_ok({"--max-body-size", "0"}).proxy.max_body_bytes, 0u);
}

TEST(CommandLineTest, UnknownFlagIsNamed) {
  parse_error({"--bogus"}, "--bogus");
  parse_error({"--bogus=1"}, "--bogus");
  parse_error({"positional"}, "positional");
  parse_error({"-x"}, "-x");
}

TEST(CommandLineTest, MissingValueIsNamed) {
  parse_error({"--workers"}, "--workers");
  parse_error({"--http-port"}, "--http-port");
  parse_error({"--connect-timeout"}, "--connect-timeout");
  // Also when the flag comes first and nothing follows it.
  const Result<CommandLine> result = parse_command_line({"--manifests"}, kCores);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("--manifests"), std::string::npos) << result.error();
}

TEST(CommandLineTest, BadPortsAreRejected) {
  const std::string error = parse_error({"--http-port", "70000"}, "--http-port");
  EXPECT_NE(error.find("70000"), std::string::npos) << error;
  parse_error({"--http-port", "-1"}, "--http-port");
  parse_error({"--http-port", "80a"}, "--http-port");
  parse_error({"--http-port", ""}, "--http-port");
  parse_error({"--metrics-port", "65536"}, "--metrics-port");
  parse_error({"--metrics-port=http"}, "--metrics-port");
}

TEST(CommandLineTest, BadWorkerCountsAreRejected) {
  parse_error({"--workers", "0"}, "--workers");
  parse_error({"--workers", "257"}, "--workers");
  parse_error({"--workers", "two"}, "--workers");
  EXPECT_EQ(parse_ok({"--workers", "256"}).proxy.workers, 256u);
  EXPECT_EQ(parse_ok({"--workers", "1"}).proxy.workers, 1u);
}

TEST(CommandLineTest, BadLogSettingsAreRejected) {
  parse_error({"--log-format", "xml"}, "--log-format");
  parse_error({"--log-level", "verbose"}, "--log-level");
}

TEST(CommandLineTest, BadDurationsAreRejected) {
  for (const char* flag : {"--connect-timeout", "--upstream-timeout", "--client-header-timeout",
                           "--client-body-timeout", "--idle-timeout", "--drain-timeout"}) {
    parse_error({flag, "5x"}, flag);
  }
  parse_error({"--connect-timeout", "ms"}, "--connect-timeout");
  parse_error({"--connect-timeout", ""}, "--connect-timeout");
  parse_error({"--connect-timeout", "-5s"}, "--connect-timeout");
  parse_error({"--connect-timeout", "1.5s"}, "--connect-timeout");
}

// Every algorithm, by the enum (kResourceBased is its last value), so that a new one cannot
// be missing from the flag or the help.
std::vector<proxy::Algorithm> all_algorithms() {
  std::vector<proxy::Algorithm> all;
  for (int i = 0; i <= static_cast<int>(proxy::Algorithm::kResourceBased); ++i) {
    all.push_back(static_cast<proxy::Algorithm>(i));
  }
  return all;
}

TEST(CommandLineTest, LoadBalanceTakesEveryAlgorithmName) {
  for (const proxy::Algorithm algorithm : all_algorithms()) {
    const std::string name(proxy::algorithm_name(algorithm));
    EXPECT_EQ(parse_ok({"--load-balance", name}).load_balance, algorithm) << name;
    EXPECT_EQ(parse_ok({"--load-balance=" + name}).load_balance, algorithm) << name;
  }
}

TEST(CommandLineTest, BadLoadBalanceNamesAreRejected) {
  for (const char* bad : {"round_robin", "ewma", "Round-Robin", "least connections", "", "ip"}) {
    const std::string error = parse_error({"--load-balance", bad}, "--load-balance");
    EXPECT_NE(error.find("algorithm"), std::string::npos) << error;
  }
}

TEST(CommandLineTest, CpuCeilingIsAPercentageOfTheRequest) {
  EXPECT_EQ(parse_ok({}).cpu_ceiling_percent, 90);
  EXPECT_EQ(parse_ok({"--cpu-ceiling", "75"}).cpu_ceiling_percent, 75);
  EXPECT_EQ(parse_ok({"--cpu-ceiling=150"}).cpu_ceiling_percent, 150);
  for (const char* bad : {"0", "1001", "-5", "80%", "", "high"}) {
    const std::string error = parse_error({"--cpu-ceiling", bad}, "--cpu-ceiling");
    EXPECT_NE(error.find("CPU"), std::string::npos) << error;
  }
}

TEST(CommandLineTest, LoopPeriodsAreNonZeroDurations) {
  EXPECT_EQ(parse_ok({}).resource_metrics_interval, std::chrono::seconds(15));
  EXPECT_EQ(parse_ok({}).autoscaler_sync_period, std::chrono::seconds(5));
  EXPECT_EQ(parse_ok({"--resource-metrics-interval", "500ms"}).resource_metrics_interval,
            std::chrono::milliseconds(500));
  EXPECT_EQ(parse_ok({"--autoscaler-sync-period", "2s"}).autoscaler_sync_period,
            std::chrono::seconds(2));
  for (const char* flag : {"--resource-metrics-interval", "--autoscaler-sync-period"}) {
    for (const char* bad : {"0s", "0ms", "soon", "-1s"}) parse_error({flag, bad}, flag);
  }
}

TEST(CommandLineTest, BadSizesAreRejected) {
  parse_error({"--max-body-size", "12q"}, "--max-body-size");
  parse_error({"--max-body-size", "k"}, "--max-body-size");
  parse_error({"--max-body-size", ""}, "--max-body-size");
  parse_error({"--max-body-size", "-1"}, "--max-body-size");
}

TEST(CommandLineTest, EmptyNamesAreRejected) {
  parse_error({"--ingress-class="}, "--ingress-class");
  const Result<CommandLine> result = parse_command_line({"--manifests="}, kCores);
  EXPECT_FALSE(result.ok());
}

TEST(CommandLineTest, WithoutManifestsTheKubernetesApiIsTheSource) {
  const Result<CommandLine> api =
      parse_command_line({"--kubeconfig", "/k/config", "--context", "kind", "--watch-namespace",
                          "shop", "--election-id", "edge-leader", "--election-namespace", "infra",
                          "--publish-service", "infra/edge"},
                         kCores);
  ASSERT_TRUE(api.ok()) << api.error();
  const CommandLine& line = api.value();
  EXPECT_TRUE(line.manifests_dir.empty());
  EXPECT_EQ(line.kubeconfig, "/k/config");
  EXPECT_EQ(line.kube_context, "kind");
  EXPECT_EQ(line.watch_namespace, "shop");
  EXPECT_EQ(line.election_id, "edge-leader");
  EXPECT_EQ(line.election_namespace, "infra");
  EXPECT_EQ(line.publish_service, "infra/edge");

  const Result<CommandLine> defaults = parse_command_line({}, kCores);
  ASSERT_TRUE(defaults.ok()) << defaults.error();
  EXPECT_EQ(defaults.value().election_id, "portico-leader");
  EXPECT_TRUE(defaults.value().watch_namespace.empty());
  EXPECT_TRUE(defaults.value().kubeconfig.empty());
}

TEST(CommandLineTest, ApiFlagsAreRefusedInStandaloneMode) {
  parse_error({"--kubeconfig", "/k"}, "--kubeconfig");
  parse_error({"--watch-namespace", "shop"}, "--watch-namespace");
  parse_error({"--publish-address", "1.2.3.4"}, "--publish-address");
}

TEST(CommandLineTest, NamesThatWouldReachUrlsAreValidated) {
  for (const char* bad : {"Shop", "a/b", "-x", "x-", "a b", "a?b", ""}) {
    EXPECT_FALSE(parse_command_line({"--watch-namespace", bad}, kCores).ok()) << bad;
    EXPECT_FALSE(parse_command_line({"--election-id", bad}, kCores).ok()) << bad;
  }
  for (const char* bad : {"edge", "/edge", "infra/", "infra/Edge", "a/b/c"}) {
    EXPECT_FALSE(parse_command_line({"--publish-service", bad}, kCores).ok()) << bad;
    EXPECT_FALSE(parse_command_line({"--peer-service", bad}, kCores).ok()) << bad;
  }
  const Result<CommandLine> peers =
      parse_command_line({"--kubeconfig", "k", "--peer-service", "infra/portico"}, kCores);
  ASSERT_TRUE(peers.ok()) << peers.error();
  EXPECT_EQ(peers.value().peer_service, "infra/portico");
  const Result<CommandLine> both = parse_command_line(
      {"--publish-service", "infra/edge", "--publish-address", "1.2.3.4"}, kCores);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().find("--publish-address"), std::string::npos) << both.error();
}

TEST(CommandLineTest, HelpAndVersionNeedNoSource) {
  for (const char* flag : {"--help", "-h"}) {
    const Result<CommandLine> help = parse_command_line({flag}, kCores);
    ASSERT_TRUE(help.ok()) << flag << ": " << help.error();
    EXPECT_TRUE(help.value().show_help);
    EXPECT_FALSE(help.value().show_version);
  }
  const Result<CommandLine> version = parse_command_line({"--version"}, kCores);
  ASSERT_TRUE(version.ok()) << version.error();
  EXPECT_TRUE(version.value().show_version);
  EXPECT_FALSE(version.value().show_help);
}

TEST(CommandLineTest, UsageMentionsEveryFlag) {
  const std::string text = usage();
  for (const char* flag : {"--manifests",
                           "--kubeconfig",
                           "--context",
                           "--watch-namespace",
                           "--election-id",
                           "--election-namespace",
                           "--publish-service",
                           "--publish-address",
                           "--peer-service",
                           "--autoscaler-sync-period",
                           "--http-port",
                           "--listen-address",
                           "--metrics-port",
                           "--metrics-address",
                           "--workers",
                           "--ingress-class",
                           "--load-balance",
                           "--max-body-size",
                           "--connect-timeout",
                           "--upstream-timeout",
                           "--client-header-timeout",
                           "--client-body-timeout",
                           "--idle-timeout",
                           "--drain-timeout",
                           "--access-log",
                           "--log-level",
                           "--log-format",
                           "--version",
                           "--help"}) {
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
  }
  for (const proxy::Algorithm algorithm : all_algorithms()) {
    EXPECT_NE(text.find(proxy::algorithm_name(algorithm)), std::string::npos)
        << proxy::algorithm_name(algorithm);
  }
}

}  // namespace
}  // namespace portico::cmd
