#pragma once
// Serving one watch on its connection: the chunked 200 response, then whatever the
// WatchHub queues for it, as it comes, until timeoutSeconds passes, an ERROR ends it, the
// client goes away, or a fault or stop() cuts it.
#include <functional>
#include <memory>
#include <string_view>

#include "tests/fakes/fake_api_server/server_core.h"
#include "tests/fakes/fake_api_server/watch_hub.h"

namespace portico::testing {

enum class WatchEnd {
  kCompleted,  // the body ended with its final chunk: the connection may serve more requests
  kClosed,     // the connection must be closed now, without another byte
};

// Connection thread; takes core.mutex, never while calling `write` (a blocking write of the
// given bytes, false when the connection broke). Unregisters `watch` before returning.
WatchEnd serve_watch(ServerCore& core, const std::shared_ptr<Watch>& watch,
                     const std::function<bool(std::string_view)>& write);

}  // namespace portico::testing
