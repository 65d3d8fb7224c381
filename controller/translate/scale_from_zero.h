#pragma once
// Which Services hold requests while they have no endpoint: those a ScalingPolicy with
// minReplicas 0 measures by queue depth, since that policy scales them back up when requests
// arrive (docs/SCALING.md, scaleToZero). Pure; any thread.
#include <map>
#include <string>

#include "controller/store/store_contents.h"
#include "proxy/snapshot/hold_when_empty.h"

namespace portico::controller {

// Keyed by "namespace/service". A Service that two such policies name gets the larger queue
// and the longer timeout of the two: neither policy's requests are refused earlier than it
// asked for.
std::map<std::string, proxy::HoldWhenEmpty> services_held_when_empty(const StoreContents& contents);

}  // namespace portico::controller
