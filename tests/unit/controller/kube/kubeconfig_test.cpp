#include <gtest/gtest.h>

#include <map>

#include "controller/kube/client_config.h"
#include "tests/unit/controller/standalone/temp_directory.h"

namespace portico::controller::kube {
namespace {

using test_support::TempDirectory;

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto found = vars.find(name);
    if (found == vars.end()) return std::nullopt;
    return found->second;
  };
}

// A kubeconfig with two clusters, two users and contexts over them, two of them dangling;
// `cluster_a` and `user_a` are the bodies of cluster "cluster-a" and user "alice".
std::string kubeconfig(const std::string& cluster_a, const std::string& user_a,
                       const std::string& current = "ctx-a") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: " + current +
         "\n"
         "clusters:\n"
         "  - name: cluster-a\n"
         "    cluster:\n" +
         cluster_a +
         "  - name: cluster-b\n"
         "    cluster:\n"
         "      server: http://b.example:8080/\n"
         "users:\n"
         "  - name: alice\n"
         "    user:\n" +
         user_a +
         "  - name: bob\n"
         "    user:\n"
         "      token: bob-token\n"
         "contexts:\n"
         "  - name: ctx-a\n"
         "    context: {cluster: cluster-a, user: alice, namespace: team-a}\n"
         "  - name: ctx-b\n"
         "    context: {cluster: cluster-b, user: bob}\n"
         "  - name: ctx-lost-cluster\n"
         "    context: {cluster: nowhere, user: alice}\n"
         "  - name: ctx-lost-user\n"
         "    context: {cluster: cluster-b, user: nobody}\n";
}

class KubeconfigTest : public ::testing::Test {
 protected:
  Result<ClientConfig> load(const std::string& text, const std::string& context = "") {
    dir_.write("config", text);
    return load_kubeconfig(dir_.path() / "config", context);
  }

  // Asserts that loading fails with an error naming the file and every piece of `needles`.
  void expect_error(const Result<ClientConfig>& result,
                    std::initializer_list<std::string> needles) {
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().find((dir_.path() / "config").string()), std::string::npos)
        << result.error();
    for (const std::string& needle : needles) {
      EXPECT_NE(result.error().find(needle), std::string::npos) << result.error();
    }
  }

  TempDirectory dir_;
};

TEST_F(KubeconfigTest, ReadsTheCurrentContextWithInlineData) {
  // base64("CA PEM"), base64("CERT PEM"), base64("KEY PEM")
  Result<ClientConfig> config =
      load(kubeconfig("      server: https://10.0.0.1:6443\n"
                      "      certificate-authority-data: Q0EgUEVN\n",
                      "      token: alice-token\n"
                      "      client-certificate-data: Q0VSVCBQRU0=\n"
                      "      client-key-data: S0VZIFBFTQ==\n"));
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().server, "https://10.0.0.1:6443");
  EXPECT_EQ(config.value().certificate_authority_pem, "CA PEM");
  EXPECT_FALSE(config.value().insecure_skip_tls_verify);
  EXPECT_EQ(config.value().token, "alice-token");
  EXPECT_EQ(config.value().token_file, "");
  EXPECT_EQ(config.value().client_certificate_pem, "CERT PEM");
  EXPECT_EQ(config.value().client_key_pem, "KEY PEM");
  EXPECT_EQ(config.value().namespace_, "team-a");
}

TEST_F(KubeconfigTest, AGivenContextWinsOverCurrentContext) {
  Result<ClientConfig> config =
      load(kubeconfig("      server: https://a.example\n", "      token: t\n"), "ctx-b");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().server, "http://b.example:8080");  // trailing '/' dropped
  EXPECT_EQ(config.value().token, "bob-token");
  EXPECT_EQ(config.value().namespace_, "");
}

TEST_F(KubeconfigTest, RelativePathsAreRelativeToTheKubeconfigFolder) {
  std::filesystem::create_directories(dir_.path() / "certs");
  dir_.write("certs/ca.crt", "CA FROM FILE");
  dir_.write("certs/client.crt", "CERT FROM FILE");
  dir_.write("certs/client.key", "KEY FROM FILE");
  dir_.write("token", "file-token\n");
  Result<ClientConfig> config =
      load(kubeconfig("      server: https://a.example\n"
                      "      certificate-authority: certs/ca.crt\n",
                      "      tokenFile: token\n"
                      "      client-certificate: certs/client.crt\n"
                      "      client-key: " +
                          (dir_.path() / "certs/client.key").string() + "\n"));
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().certificate_authority_pem, "CA FROM FILE");
  EXPECT_EQ(config.value().client_certificate_pem, "CERT FROM FILE");
  EXPECT_EQ(config.value().client_key_pem, "KEY FROM FILE");
  EXPECT_EQ(config.value().token_file, (dir_.path() / "token").string());
}

TEST_F(KubeconfigTest, MultiLineBase64IsAccepted) {
  Result<ClientConfig> config =
      load(kubeconfig("      server: https://a.example\n"
                      "      certificate-authority-data: |\n"
                      "        Q0Eg\n"
                      "        UEVN\n",
                      ""));
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().certificate_authority_pem, "CA PEM");
}

TEST_F(KubeconfigTest, InvalidBase64IsRejected) {
  for (const std::string bad : {"Q0EgUEV", "Q0Eg$EVN", "Q0=gUEVN", "Q0EgUE==Q0Eg", "=Q0E"}) {
    SCOPED_TRACE(bad);
    expect_error(load(kubeconfig("      server: https://a.example\n"
                                 "      certificate-authority-data: \"" +
                                     bad + "\"\n",
                                 "")),
                 {"certificate-authority-data", "base64"});
  }
}

TEST_F(KubeconfigTest, MissingPiecesAreNamed) {
  const std::string cluster = "      server: https://a.example\n";
  expect_error(load(kubeconfig(cluster, ""), "ctx-missing"), {"context \"ctx-missing\""});
  expect_error(load(kubeconfig(cluster, ""), "ctx-lost-cluster"), {"cluster \"nowhere\""});
  expect_error(load(kubeconfig(cluster, ""), "ctx-lost-user"), {"user \"nobody\""});
  expect_error(load(kubeconfig(cluster, "", "\"\"")), {"current-context"});
  expect_error(load(kubeconfig("      insecure-skip-tls-verify: true\n", "")),
               {"cluster \"cluster-a\"", "server"});
  expect_error(load(kubeconfig(cluster, "      tokenFile: missing-token\n")),
               {"tokenFile", (dir_.path() / "missing-token").string()});
  expect_error(load(kubeconfig(cluster + "      certificate-authority: missing.crt\n", "")),
               {"certificate-authority", (dir_.path() / "missing.crt").string()});
}

TEST_F(KubeconfigTest, PluginCredentialsAreNotSupported) {
  const std::string cluster = "      server: https://a.example\n";
  expect_error(load(kubeconfig(cluster, "      exec:\n        command: aws\n")),
               {"user \"alice\"", "exec", "not supported"});
  expect_error(load(kubeconfig(cluster, "      auth-provider:\n        name: oidc\n")),
               {"auth-provider", "not supported"});
}

TEST_F(KubeconfigTest, ContradictoryOrIncompleteSettingsAreRejected) {
  dir_.write("ca.crt", "CA");
  expect_error(load(kubeconfig("      server: https://a.example\n"
                               "      certificate-authority: ca.crt\n"
                               "      certificate-authority-data: Q0EgUEVN\n",
                               "")),
               {"certificate-authority-data", "certificate-authority"});
  expect_error(load(kubeconfig("      server: https://a.example\n"
                               "      certificate-authority-data: Q0EgUEVN\n"
                               "      insecure-skip-tls-verify: true\n",
                               "")),
               {"insecure-skip-tls-verify"});
  expect_error(load(kubeconfig("      server: https://a.example\n",
                               "      client-certificate-data: Q0VSVCBQRU0=\n")),
               {"client key"});
  expect_error(load(kubeconfig("      server: ftp://a.example\n", "")), {"ftp://a.example"});
}

TEST_F(KubeconfigTest, InsecureSkipTlsVerifyIsRead) {
  Result<ClientConfig> config = load(
      kubeconfig("      server: https://a.example\n      insecure-skip-tls-verify: true\n", ""));
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config.value().insecure_skip_tls_verify);
}

TEST_F(KubeconfigTest, UnreadableOrBrokenFilesAreErrors) {
  Result<ClientConfig> missing = load_kubeconfig(dir_.path() / "absent", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find((dir_.path() / "absent").string()), std::string::npos);
  expect_error(load("clusters: [\n"), {":2:"});
  expect_error(load(kubeconfig("      server: https://a.example\n"
                               "      insecure-skip-tls-verify: maybe\n",
                               "")),
               {});
}

class InClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("token", "pod-token");
    dir_.write("ca.crt", "POD CA");
    dir_.write("namespace", "portico-system\n");
  }
  TempDirectory dir_;
};

TEST_F(InClusterTest, ReadsTheServiceAccount) {
  Result<ClientConfig> config = in_cluster_config(
      env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}}),
      dir_.path());
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().server, "https://10.96.0.1:443");
  EXPECT_EQ(config.value().token_file, (dir_.path() / "token").string());
  EXPECT_EQ(config.value().token, "");  // read from token_file, so rotation is seen
  EXPECT_EQ(config.value().certificate_authority_pem, "POD CA");
  EXPECT_EQ(config.value().namespace_, "portico-system");
  EXPECT_FALSE(config.value().insecure_skip_tls_verify);
}

TEST_F(InClusterTest, BracketsAnIpv6Host) {
  Result<ClientConfig> config = in_cluster_config(
      env_of({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}}),
      dir_.path());
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config.value().server, "https://[fd00::1]:6443");
}

TEST_F(InClusterTest, NeedsTheEnvironmentAndTheToken) {
  EXPECT_FALSE(in_cluster_config(env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}}), dir_.path()));
  std::filesystem::remove(dir_.path() / "token");
  Result<ClientConfig> config = in_cluster_config(
      env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}}),
      dir_.path());
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find((dir_.path() / "token").string()), std::string::npos)
      << config.error();
}

class ResolveTest : public ::testing::Test {
 protected:
  // A kubeconfig at `name` whose only cluster's server is `server`.
  std::string write_config(const std::string& name, const std::string& server) {
    std::filesystem::create_directories((dir_.path() / name).parent_path());
    dir_.write(name, "current-context: c\nclusters: [{name: k, cluster: {server: '" + server +
                         "'}}]\ncontexts: [{name: c, context: {cluster: k}}]\n");
    return (dir_.path() / name).string();
  }

  std::string server_of(const Result<ClientConfig>& config) {
    EXPECT_TRUE(config.ok()) << config.error();
    return config.ok() ? config.value().server : "";
  }

  TempDirectory dir_;
};

TEST_F(ResolveTest, FlagThenKubeconfigVariableThenInClusterThenHome) {
  const std::string flag = write_config("flag", "https://flag.example");
  const std::string variable = write_config("variable", "https://variable.example");
  write_config("home/.kube/config", "https://home.example");
  const std::string home = (dir_.path() / "home").string();
  std::map<std::string, std::string> env = {{"KUBECONFIG", variable},
                                            {"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
                                            {"KUBERNETES_SERVICE_PORT", "443"},
                                            {"HOME", home}};
  EXPECT_EQ(server_of(resolve_client_config(flag, "", env_of(env))), "https://flag.example");
  EXPECT_EQ(server_of(resolve_client_config("", "", env_of(env))), "https://variable.example");

  // In-cluster comes before $HOME; this test has no service account, so it fails reading it.
  env.erase("KUBECONFIG");
  Result<ClientConfig> in_cluster = resolve_client_config("", "", env_of(env));
  ASSERT_FALSE(in_cluster.ok());
  EXPECT_NE(in_cluster.error().find("/var/run/secrets/kubernetes.io/serviceaccount"),
            std::string::npos)
      << in_cluster.error();

  env.erase("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(server_of(resolve_client_config("", "", env_of(env))), "https://home.example");
}

TEST_F(ResolveTest, PassesTheContextOn) {
  const std::string flag = write_config("flag", "https://flag.example");
  Result<ClientConfig> config = resolve_client_config(flag, "other", env_of({}));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("context \"other\""), std::string::npos) << config.error();
}

TEST_F(ResolveTest, AKubeconfigListIsRefusedRatherThanHalfMerged) {
  Result<ClientConfig> config = resolve_client_config("", "", env_of({{"KUBECONFIG", "/a:/b"}}));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("/a:/b"), std::string::npos) << config.error();
}

}  // namespace
}  // namespace portico::controller::kube
