#pragma once
// ApiClient over cpprestsdk's HTTP client (Boost.Asio underneath).
#include <cstddef>
#include <memory>

#include "controller/kube/api_client.h"
#include "controller/kube/client_config.h"

namespace portico::controller::kube {

// Sizes cpprestsdk's process-wide thread pool (40 threads by default, which a controller with
// a handful of watches does not need). Call it before any cpprestsdk use; only the first call
// acts, later ones do nothing, and a first call after cpprestsdk started its pool logs a
// warning. Thread-safe.
void configure_client_threads(std::size_t threads);

// Talks to one API server as `config` says: TLS trusting only the configured CA (or the
// system's when none), an optional client certificate, a bearer token re-read from its file,
// User-Agent "portico", no redirects followed. Bodies are read in pieces as cpprestsdk
// receives them, so a watch line reaches `on_line` while the stream stays open. Timeouts are
// cpprestsdk's inactivity timer, which restarts on each completed read (a chunk header, a whole
// chunk): one chunk trickling in slower than the timeout also ends a stream.
//
// Thread-safe: every method may be called from any thread, concurrently; call() and
// stream_lines() block their caller (never a cpprestsdk pool thread: they wait on it).
// Each request has its own cancellation, registered with the client's shutdown token.
class RestApiClient final : public ApiClient {
 public:
  // Inactivity limit of call(): no byte for this long ends the request with an Error.
  static constexpr std::chrono::seconds kCallIdleTimeout{60};

  // Fails when the configuration is unusable: a bad server URL, unparsable PEM, a key that
  // does not match its certificate.
  static Result<std::unique_ptr<RestApiClient>> create(const ClientConfig& config);
  ~RestApiClient() override;  // shutdown(); destroy only after every caller has returned

  Result<ApiResponse> call(Method method, const std::string& target, const std::string& body = {},
                           const std::string& content_type = "application/json") override;
  Result<ApiResponse> stream_lines(const std::string& target,
                                   const std::function<bool(std::string_view)>& on_line,
                                   std::chrono::seconds idle_timeout) override;
  void shutdown() override;

 private:
  struct State;
  explicit RestApiClient(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace portico::controller::kube
