#pragma once
// The seam between the controller and the Kubernetes API server, like client-go's REST
// interface: requests with whole (bounded) bodies, and streamed GETs for watches. The
// implementation is RestApiClient (cpprestsdk); tests run it against a fake API server that
// speaks real HTTP.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portico::controller::kube {

enum class Method { kGet, kPost, kPut, kPatch, kDelete };

struct ApiResponse {
  int status = 0;    // the HTTP status
  std::string body;  // the whole body (for a stream: only when the status is not 2xx)
};

// Thread-safe: any number of threads may call concurrently; each call blocks its caller.
class ApiClient {
 public:
  // Larger bodies are refused: a list is read page by page (limit=500), so only a broken or
  // hostile server sends more.
  static constexpr std::size_t kMaxBodyBytes = 64u << 20;
  // A watch line is one object; the API server stores at most ~1.5 MiB per object.
  static constexpr std::size_t kMaxLineBytes = 16u << 20;

  virtual ~ApiClient() = default;

  // One request; `target` is the path and query ("/api/v1/services?limit=500"). Transport
  // failures (connect, TLS, timeout, shutdown, oversized body) are Errors; every HTTP status
  // is a response.
  virtual Result<ApiResponse> call(Method method, const std::string& target,
                                   const std::string& body = {},
                                   const std::string& content_type = "application/json") = 0;

  // A streamed GET (a watch): `on_line` gets each complete '\n'-terminated line (without the
  // newline; empty lines skipped) as soon as it arrives, until the server ends the body,
  // `on_line` returns false, `idle_timeout` passes without a byte, or shutdown(). A 2xx stream
  // that ends (for any of these reasons) returns its status with an empty body; an idle
  // timeout, a broken connection or an oversized line is an Error.
  virtual Result<ApiResponse> stream_lines(const std::string& target,
                                           const std::function<bool(std::string_view)>& on_line,
                                           std::chrono::seconds idle_timeout) = 0;

  // Ends every call in flight (they return an Error) and makes later calls fail at once.
  virtual void shutdown() = 0;
};

}  // namespace portico::controller::kube
