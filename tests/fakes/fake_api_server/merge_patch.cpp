#include "tests/fakes/fake_api_server/merge_patch.h"

namespace portico::testing {

void apply_merge_patch(web::json::value& target, const web::json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = web::json::value::object();
  for (const auto& [key, value] : patch.as_object()) {
    if (value.is_null()) {
      if (target.has_field(key)) target.erase(key);
    } else {
      apply_merge_patch(target[key], value);
    }
  }
}

}  // namespace portico::testing
