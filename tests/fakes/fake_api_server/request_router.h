#pragma once
// What the fake API server answers to one HTTP request: records it, checks the bearer token,
// applies injected failures, then serves discovery or hands the resource URL to the
// collection or object handlers.
#include <memory>
#include <string>

#include "tests/fakes/fake_api_server/server_core.h"
#include "tests/fakes/fake_api_server/watch_hub.h"

namespace portico::testing {

struct HttpRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string content_type;
  std::string body;
};

struct Reply {
  int status = 200;
  std::string body;  // JSON
  // Set for an accepted watch, already registered: the connection streams it instead.
  std::shared_ptr<Watch> watch;
};

// Connection thread; holds core.mutex for the whole call. `fd` is the connection's socket,
// which a watch needs for drop_watches().
Reply route_request(ServerCore& core, const HttpRequest& request, int fd);

}  // namespace portico::testing
