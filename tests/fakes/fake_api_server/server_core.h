#pragma once
// Everything the fake API server's threads share: options, TLS context, the object store,
// the open watches, injected faults, the request log and the connection registry. The public
// FakeApiServer, the listener, the connection threads and the request handlers all work on
// one ServerCore.
//
// Thread contract: `options`, `io` and `tls` are immutable after construction; everything
// else is guarded by `mutex`, which no thread holds while doing socket I/O.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/fakes/fake_api_server/object_store.h"
#include "tests/fakes/fake_api_server/watch_hub.h"

namespace portico::testing {

struct ServerCore {
  explicit ServerCore(FakeApiServerOptions server_options);

  // Stores `object` in `resource` and tells the watches. Caller holds `mutex`.
  ObjectRef write(const std::string& resource, web::json::value object);
  // Deletes and tells the watches; the deleted object's last state, or nullptr. Caller holds
  // `mutex`.
  ObjectRef remove(const std::string& resource, const std::string& namespace_,
                   const std::string& name);

  const FakeApiServerOptions options;
  boost::asio::io_context io;  // never run: sockets only need it to exist for blocking I/O
  std::unique_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP

  std::mutex mutex;
  ObjectStore store;
  WatchHub watches{store};
  std::set<std::string> served_group_versions;
  bool plain_410 = false;  // compact(true): too-old watches get an HTTP 410, not an ERROR event
  int failures_left = 0;
  int failure_status = 500;
  bool hanging = false;  // hang_requests(true): requests are read and never answered
  std::vector<RecordedRequest> requests;

  // Lifecycle. A connection is registered (its socket's fd) from accept until just before
  // its thread closes the socket, so shutting a registered fd down never hits a reused one.
  bool running = false;
  bool stopping = false;
  uint16_t port = 0;
  int listen_fd = -1;
  std::thread listener;
  uint64_t next_connection_id = 0;
  std::map<uint64_t, int> connection_fds;
  std::map<uint64_t, std::thread> connection_threads;
  std::vector<uint64_t> finished_connections;  // threads that have returned, to join
};

}  // namespace portico::testing
