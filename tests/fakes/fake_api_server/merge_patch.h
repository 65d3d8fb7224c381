#pragma once
// JSON merge patch (RFC 7386), which the fake API server also applies for strategic merge
// patches: objects merge key by key, null deletes a key, anything else (arrays included)
// replaces. Pure function; thread-safe.
#include <cpprest/json.h>

namespace portico::testing {

void apply_merge_patch(web::json::value& target, const web::json::value& patch);

}  // namespace portico::testing
