#pragma once
// Helpers shared by the fake API server's tests.
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <cpprest/json.h>

namespace portico::testing {

inline web::json::value parse_json(const std::string& text) {
  return web::json::value::parse(text);
}

// A minimal Service (or any object) JSON with `extra` spliced in after metadata, e.g.
// R"("spec":{"type":"ClusterIP"})".
inline std::string object_json(const std::string& namespace_, const std::string& name,
                               const std::string& extra = {}) {
  std::string json = R"({"metadata":{"name":")" + name + '"';
  if (!namespace_.empty()) json += R"(,"namespace":")" + namespace_ + '"';
  json += '}';
  if (!extra.empty()) (json += ',') += extra;
  return json + '}';
}

inline std::string metadata_field(const web::json::value& object, const std::string& key) {
  return object.at("metadata").at(key).as_string();
}

// Polls `condition` until it holds or `timeout` passes; true when it held.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace portico::testing
