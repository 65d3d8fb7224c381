#pragma once
// Helpers shared by the controller unit tests: store contents from YAML text, short YAML
// generators for the objects most tests need, and a SnapshotSink that records publishes.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "controller/standalone/manifest_parser.h"
#include "controller/store/store_contents.h"
#include "proxy/snapshot/route_snapshot.h"

namespace portico::controller::test_support {

// Parses `yaml` as one manifest file; fails the test on any error.
inline StoreContents contents_from_yaml(const std::string& yaml) {
  ParsedManifest parsed = parse_manifest(yaml, "test.yaml");
  for (const std::string& error : parsed.errors) ADD_FAILURE() << error;
  StoreContents contents;
  for (Object& object : parsed.objects) contents.put(std::move(object));
  return contents;
}

inline std::string ingress_class_yaml(const std::string& name, const std::string& controller,
                                      bool is_default) {
  return "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: " + name +
         "\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"" +
         (is_default ? "true" : "false") + "\"\nspec:\n  controller: " + controller + "\n";
}

// A Service in `ns` with one port; `target_port` is written verbatim ("" omits it).
inline std::string service_yaml(const std::string& ns, const std::string& name, int port,
                                const std::string& port_name, const std::string& target_port) {
  std::string yaml = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + name +
                     "\n  namespace: " + ns +
                     "\nspec:\n  ports:\n    - port: " + std::to_string(port) + "\n";
  if (!port_name.empty()) yaml += "      name: " + port_name + "\n";
  if (!target_port.empty()) yaml += "      targetPort: " + target_port + "\n";
  return yaml;
}

// `endpoints` are YAML flow maps, e.g. "{addresses: [10.0.0.1], conditions: {ready: true}}".
inline std::string slice_yaml(const std::string& ns, const std::string& name,
                              const std::string& service, const std::string& port_name, int port,
                              const std::vector<std::string>& endpoints) {
  std::string yaml =
      "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n"
      "  name: " +
      name + "\n  namespace: " + ns + "\n  labels:\n    kubernetes.io/service-name: " + service +
      "\naddressType: IPv4\nports:\n  - port: " + std::to_string(port) + "\n    name: \"" +
      port_name + "\"\nendpoints:\n";
  for (const std::string& endpoint : endpoints) yaml += "  - " + endpoint + "\n";
  return yaml;
}

inline std::string ready_endpoint(const std::string& address) {
  return "{addresses: [\"" + address + "\"], conditions: {ready: true}}";
}

// An Ingress with one rule: `host` ("" for none), Prefix `path` -> service:port (number).
inline std::string simple_ingress_yaml(const std::string& ns, const std::string& name,
                                       const std::string& host, const std::string& path,
                                       const std::string& service, int port,
                                       const std::string& created = "") {
  std::string yaml =
      "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
      "  name: " +
      name + "\n  namespace: " + ns + "\n";
  if (!created.empty()) yaml += "  creationTimestamp: \"" + created + "\"\n";
  yaml +=
      "spec:\n  ingressClassName: portico\n  rules:\n    - http:\n        paths:\n"
      "          - path: " +
      path +
      "\n            pathType: Prefix\n            backend:\n"
      "              service:\n                name: " +
      service + "\n                port:\n                  number: " + std::to_string(port) + "\n";
  if (!host.empty()) yaml += "      host: " + host + "\n";
  return yaml;
}

inline std::vector<std::string> endpoint_strings(const proxy::Backend& backend) {
  std::vector<std::string> out;
  for (const proxy::Endpoint& endpoint : backend.endpoints) {
    out.push_back(endpoint.state->identity);
  }
  return out;
}

// Records every published snapshot; tests wait on conditions with a deadline, never sleep.
class RecordingSink : public proxy::SnapshotSink {
 public:
  using Predicate = std::function<bool(const proxy::RouteSnapshot&)>;

  void publish(std::shared_ptr<const proxy::RouteSnapshot> snapshot) override {
    {
      std::lock_guard lock(mutex_);
      snapshots_.push_back(std::move(snapshot));
    }
    published_.notify_all();
  }

  // True once the latest snapshot satisfies `predicate`, false after `timeout`.
  bool wait_for_latest(const Predicate& predicate,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return published_.wait_for(
        lock, timeout, [&] { return !snapshots_.empty() && predicate(*snapshots_.back()); });
  }

  std::vector<std::shared_ptr<const proxy::RouteSnapshot>> snapshots() {
    std::lock_guard lock(mutex_);
    return snapshots_;
  }

  std::shared_ptr<const proxy::RouteSnapshot> latest() {
    std::lock_guard lock(mutex_);
    return snapshots_.empty() ? nullptr : snapshots_.back();
  }

 private:
  std::mutex mutex_;
  std::condition_variable published_;
  std::vector<std::shared_ptr<const proxy::RouteSnapshot>> snapshots_;
};

}  // namespace portico::controller::test_support
