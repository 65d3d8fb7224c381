#pragma once
// A Kubernetes API server fake that speaks real HTTP/1.1 on 127.0.0.1, for the client,
// reflector, leader-election and end-to-end tests and the controller benchmarks. Generic over
// resources: it stores JSON objects by URL, knows no kinds, and implements the API machinery
// the controller relies on: list (with resourceVersion, limit/continue, fieldSelector on
// equality), watch as an endless chunked body of JSON lines (ADDED/MODIFIED/DELETED, BOOKMARK
// when allowWatchBookmarks=true, timeoutSeconds), 410 Gone after compaction, create/update
// with resourceVersion conflicts (409), JSON merge patch, subresources `status` and (for
// Deployments) `scale`, bearer-token
// auth, optional TLS, and injected faults (5xx, dropped and stalled streams, outages).
//
// URLs: /api/v1[/namespaces/NS]/RESOURCE[/NAME[/status]] and
// /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/status]]. A "resource" below is the
// collection path without namespace, e.g. "/api/v1/services" or
// "/apis/networking.k8s.io/v1/ingresses"; objects of cluster-scoped resources have an empty
// namespace. GET on "/api/v1" or "/apis/GROUP/VERSION" answers 200 for a served group-version
// (see serve_group_version) and 404 otherwise.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace portico::testing {

struct FakeApiServerOptions {
  std::string bearer_token;  // non-empty: every request needs "Authorization: Bearer <token>"
  // TLS when both are set (PEM); client certificates are required when client_ca_pem is set.
  std::string certificate_pem;
  std::string private_key_pem;
  std::string client_ca_pem;
  // Seconds between automatic BOOKMARK events on watches that asked for them; 0: only
  // send_bookmarks() sends them.
  int bookmark_interval_seconds = 0;
};

struct RecordedRequest {
  std::string method;
  std::string target;  // path and query as received
  std::string authorization;
  std::string content_type;
  std::string body;
};

// Thread-safe: the control methods may be called from any thread while clients are served
// on the server's own threads.
class FakeApiServer {
 public:
  explicit FakeApiServer(FakeApiServerOptions options = {});
  ~FakeApiServer();  // stop()
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  // Listens on 127.0.0.1:`port` (0: an ephemeral port). After stop(), start(port()) brings
  // the same server back on the same port with its objects and history (an outage).
  void start(uint16_t port = 0);
  // Closes the listener and every connection, watches included.
  void stop();
  uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:PORT" or "https://..."

  // Group-versions that answer discovery GETs; "/api/v1", "/apis/networking.k8s.io/v1",
  // "/apis/discovery.k8s.io/v1", "/apis/coordination.k8s.io/v1" and "/apis/apps/v1" are
  // served by default. Optional APIs (metrics.k8s.io, autoscaling/v2, Portico's CRD) are not,
  // as on a cluster without metrics-server or without the CRD installed.
  void serve_group_version(const std::string& path, bool served);

  // Objects. `object_json` must carry metadata.name (and metadata.namespace for namespaced
  // resources). The server assigns metadata.resourceVersion (one global counter), and
  // metadata.uid and metadata.creationTimestamp when absent, records a watch event and
  // returns the stored JSON. update() of a missing object creates it.
  std::string create(const std::string& resource, const std::string& object_json);
  std::string update(const std::string& resource, const std::string& object_json);
  void remove(const std::string& resource, const std::string& namespace_, const std::string& name);
  std::optional<std::string> get(const std::string& resource, const std::string& namespace_,
                                 const std::string& name) const;
  std::vector<std::string> list(const std::string& resource) const;  // every namespace
  std::string resource_version() const;                              // the latest assigned

  // Forgets the event history: a watch from an older resourceVersion then gets an ERROR
  // event carrying a 410 Status (what the real API server does), or a plain HTTP 410 response
  // when `plain_410` is set; a list continue token from before also gets 410.
  void compact(bool plain_410 = false);

  // Faults. The next `count` requests (any kind, after authentication) answer `status` with a
  // Status body.
  void fail_next(int count, int status);
  // While set, every new request is read and left unanswered, the connection open: an API
  // server behind a partition, as opposed to one that refuses connections.
  void hang_requests(bool hanging);
  // Ends every open watch stream at once (the final zero-size chunk is not sent).
  void drop_watches();
  // While set, open and new watch streams send nothing at all (no events, no bookmarks),
  // and keep the connection open.
  void stall_watches(bool stalled);
  // A BOOKMARK event carrying the latest resourceVersion on every open watch that asked
  // for bookmarks.
  void send_bookmarks();

  // Observations.
  std::vector<RecordedRequest> requests() const;
  void clear_requests();
  std::size_t open_watches() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace portico::testing
