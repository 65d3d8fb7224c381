#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include "controller/decode/decoders.h"

namespace portico::controller {
namespace {

using std::chrono::system_clock;

constexpr char kPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9-x2x5q
  namespace: shop
  uid: 5e1c
  resourceVersion: "812"
  labels: {app: web}
  annotations:
    portico.io/weight: "3"
spec:
  nodeName: node-1
  containers:
    - name: app
      image: web:1.2
      resources:
        requests: {cpu: 250m, memory: 64Mi}
        limits: {cpu: "1"}
    - name: sidecar
      image: proxy:3
status:
  phase: Running
  podIP: 10.1.0.7
  podIPs:
    - ip: 10.1.0.7
    - ip: fd00::7
  startTime: "2024-03-01T10:00:00Z"
  conditions:
    - type: PodScheduled
      status: "True"
      lastTransitionTime: "2024-03-01T09:59:58Z"
    - type: Ready
      status: "True"
      lastTransitionTime: "2024-03-01T10:00:05Z"
  containerStatuses:
    - name: app
      ready: true
      restartCount: 0
)";

Pod decoded(const std::string& yaml) {
  const Result<Pod> result = decode_pod(YAML::Load(yaml), "pod.yaml");
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
  return result.ok() ? result.value() : Pod();
}

TEST(PodDecoder, ReadsTheModelledFields) {
  const Pod pod = decoded(kPod);
  EXPECT_EQ(pod.meta.key(), "shop/web-7d4b9-x2x5q");
  EXPECT_EQ(pod.meta.uid, "5e1c");
  EXPECT_EQ(pod.meta.labels.at("app"), "web");
  EXPECT_EQ(pod.meta.annotations.at("portico.io/weight"), "3");
  EXPECT_EQ(pod.phase, "Running");
  EXPECT_EQ(pod.pod_ips, (std::vector<std::string>{"10.1.0.7", "fd00::7"}));
  EXPECT_TRUE(pod.ready);
  ASSERT_TRUE(pod.ready_transition.has_value());
  EXPECT_EQ(system_clock::to_time_t(*pod.ready_transition), 1709287205);
  ASSERT_TRUE(pod.start_time.has_value());
  EXPECT_EQ(system_clock::to_time_t(*pod.start_time), 1709287200);
  EXPECT_EQ(pod.containers, (std::vector<PodContainer>{{"app", "250m"}, {"sidecar", ""}}));
  EXPECT_FALSE(pod.deleting);
}

TEST(PodDecoder, ADeletionTimestampMarksAPodBeingDeleted) {
  std::string yaml = kPod;
  yaml.replace(yaml.find("  uid: 5e1c"), 0, "  deletionTimestamp: \"2024-03-01T11:00:00Z\"\n");
  EXPECT_TRUE(decoded(yaml).deleting);
}

TEST(PodDecoder, TheResourceVersionIsNotKept) {
  // Each status write bumps it; a Pod holding it would never compare equal to its update.
  EXPECT_EQ(decoded(kPod).meta.resource_version, "");
}

TEST(PodDecoder, StatusWritesOutsideTheModelDecodeEqual) {
  std::string updated = kPod;
  const auto replace = [&updated](const std::string& from, const std::string& to) {
    const std::size_t at = updated.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    updated.replace(at, from.size(), to);
  };
  replace("resourceVersion: \"812\"", "resourceVersion: \"813\"");
  replace("restartCount: 0", "restartCount: 4");
  replace("type: PodScheduled\n      status: \"True\"",
          "type: PodScheduled\n      status: \"False\"");
  replace("nodeName: node-1", "nodeName: node-2");
  EXPECT_EQ(decoded(updated), decoded(kPod));

  std::string annotated = kPod;
  annotated.replace(annotated.find("\"3\""), 3, "\"4\"");
  EXPECT_NE(decoded(annotated), decoded(kPod));
}

TEST(PodDecoder, PodIpIsTheFallbackForPodIps) {
  const Pod pod = decoded(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Running, podIP: "
      "10.1.0.9}\n");
  EXPECT_EQ(pod.pod_ips, (std::vector<std::string>{"10.1.0.9"}));
}

TEST(PodDecoder, APendingPodWithoutStatusIsNotReady) {
  const Pod pod = decoded(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
      "spec: {containers: [{name: app}]}\n");
  EXPECT_EQ(pod.meta.key(), "default/p");
  EXPECT_TRUE(pod.pod_ips.empty());
  EXPECT_EQ(pod.phase, "");
  EXPECT_FALSE(pod.ready);
  EXPECT_FALSE(pod.ready_transition.has_value());
  EXPECT_FALSE(pod.start_time.has_value());
  EXPECT_EQ(pod.containers, (std::vector<PodContainer>{{"app", ""}}));
}

TEST(PodDecoder, ReadyFalseOrUnknownIsNotReady) {
  for (const char* status : {"\"False\"", "Unknown"}) {
    const Pod pod = decoded(std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                        "status:\n  conditions:\n    - type: Ready\n"
                                        "      status: ") +
                            status + "\n");
    EXPECT_FALSE(pod.ready) << status;
  }
}

TEST(PodDecoder, MistakesAreErrorsWithTheirLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"metadata: {name: p}\nspec:\n  containers:\n    - image: x\n",
       "pod.yaml:4: spec.containers[0].name: is required"},
      {"metadata: {name: p}\nstatus:\n  phase: Runing\n",
       "pod.yaml:3: status.phase: must be Pending, Running, Succeeded, Failed or Unknown, got "
       "\"Runing\""},
      {"metadata: {name: p}\nstatus:\n  conditions:\n    - type: Ready\n      status: true\n",
       "pod.yaml:5: status.conditions[0].status: must be True, False or Unknown, got \"true\""},
      {"metadata: {name: p}\nstatus:\n  conditions:\n    - status: \"True\"\n",
       "pod.yaml:4: status.conditions[0].type: is required"},
      {"metadata: {name: p}\nstatus:\n  conditions:\n    - type: Ready\n      status: \"True\"\n"
       "      lastTransitionTime: yesterday\n",
       "pod.yaml:6: status.conditions[0].lastTransitionTime: must be an RFC 3339 time"},
      {"metadata: {name: p}\nstatus:\n  startTime: 12:00\n",
       "pod.yaml:3: status.startTime: must be an RFC 3339 time"},
      {"metadata: {name: p}\nstatus:\n  podIPs: [{ip: \"\"}]\n",
       "pod.yaml:3: status.podIPs[0].ip: is required"},
      {"metadata: {name: p}\nspec:\n  containers:\n    - name: app\n      resources:\n"
       "        requests: {cpu: [1]}\n",
       "pod.yaml:6: spec.containers[0].resources.requests.cpu: must be a string"},
  };
  for (const auto& [yaml, message] : cases) {
    const Result<Pod> result = decode_pod(YAML::Load(yaml), "pod.yaml");
    ASSERT_FALSE(result.ok()) << yaml;
    EXPECT_EQ(result.error(), message);
  }
}

TEST(PodDecoder, PodsInAManifestAreDecodedNotSkipped) {
  const Result<std::vector<Object>> objects = decode_document(YAML::Load(kPod), "pod.yaml");
  ASSERT_TRUE(objects.ok()) << objects.error();
  ASSERT_EQ(objects.value().size(), 1u);
  EXPECT_EQ(kind_of(objects.value()[0]), "Pod");
  EXPECT_EQ(std::get<Pod>(objects.value()[0]).meta.annotations.at("portico.io/weight"), "3");

  const Result<std::vector<Object>> broken = decode_document(
      YAML::Load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Lost}\n"),
      "pods.yaml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().substr(0, 12), "pods.yaml:4:");
}

}  // namespace
}  // namespace portico::controller
