// pplx/threadpool.h, needed to size cpprestsdk's pool, names boost::asio::io_service and
// io_context::post, which the tree-wide BOOST_ASIO_NO_DEPRECATED hides. cpprestsdk itself is
// built with them, so this file sees Asio as cpprestsdk does.
#undef BOOST_ASIO_NO_DEPRECATED

#include "controller/kube/rest_api_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cpprest/http_client.h>
#include <pplx/threadpool.h>

#include <atomic>
#include <map>
#include <mutex>
#include <system_error>
#include <vector>

#include "common/log.h"
#include "controller/kube/response_body.h"
#include "controller/kube/token_source.h"

namespace portico::controller::kube {
namespace {

namespace http = web::http;
using Clients = std::map<std::chrono::seconds, http::client::http_client>;

// The PEM material of a TLS connection, shared by every connection cpprestsdk opens.
struct TlsMaterial {
  std::string ca_pem;
  std::string client_certificate_pem;
  std::string client_key_pem;
};

// Throws boost::system::system_error on unusable PEM: create() applies it once to a scratch
// context to turn that into an Error, so the per-connection callback cannot throw.
void apply_tls(boost::asio::ssl::context& context, const TlsMaterial& tls) {
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  if (!tls.ca_pem.empty()) {
    // cpprestsdk has loaded the system trust store; a kubeconfig CA replaces it (client-go
    // trusts only the configured CA too).
    X509_STORE* store = X509_STORE_new();
    if (store == nullptr) throw std::bad_alloc();
    SSL_CTX_set_cert_store(context.native_handle(), store);
    context.add_certificate_authority(boost::asio::buffer(tls.ca_pem));
  }
  if (!tls.client_certificate_pem.empty()) {
    context.use_certificate_chain(boost::asio::buffer(tls.client_certificate_pem));
    context.use_private_key(boost::asio::buffer(tls.client_key_pem),
                            boost::asio::ssl::context::pem);
  }
}

http::method method_name(Method method) {
  switch (method) {
    case Method::kGet:
      return http::methods::GET;
    case Method::kPost:
      return http::methods::POST;
    case Method::kPut:
      return http::methods::PUT;
    case Method::kPatch:
      return http::methods::PATCH;
    case Method::kDelete:
      return http::methods::DEL;
  }
  return http::methods::GET;
}

// One request's cancellation, fired by shutdown() through a registration on the client's
// token, or by the request's owner when it stops reading early. Unless finish()ed, the
// destructor cancels, which closes the connection: a request abandoned half-read must not
// keep cpprestsdk reading its body into memory.
class InFlight {
 public:
  explicit InFlight(pplx::cancellation_token shutdown)
      : shutdown_(std::move(shutdown)),
        registration_(shutdown_.register_callback([source = source_] { source.cancel(); })) {}
  ~InFlight() {
    if (!finished_) source_.cancel();
    shutdown_.deregister_callback(registration_);
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

  pplx::cancellation_token token() const { return source_.get_token(); }
  void finish() { finished_ = true; }

 private:
  pplx::cancellation_token shutdown_;
  pplx::cancellation_token_source source_;
  pplx::cancellation_token_registration registration_;
  bool finished_ = false;
};

// Cuts a byte stream into '\n'-terminated lines, holding at most one partial line; a line
// that fits in one piece reaches `on_line` without a copy.
class LineSplitter {
 public:
  enum class Outcome { kMore, kStopped, kLineTooLong };

  Outcome feed(std::string_view piece, const std::function<bool(std::string_view)>& on_line) {
    for (;;) {
      const std::size_t newline = piece.find('\n');
      if (newline == std::string_view::npos) break;
      std::string_view line = piece.substr(0, newline);
      if (!partial_.empty()) {
        partial_.append(line);
        line = partial_;
      }
      if (line.size() > ApiClient::kMaxLineBytes) return Outcome::kLineTooLong;
      const bool more = line.empty() || on_line(line);
      partial_.clear();
      if (!more) return Outcome::kStopped;
      piece.remove_prefix(newline + 1);
    }
    partial_.append(piece);
    return partial_.size() > ApiClient::kMaxLineBytes ? Outcome::kLineTooLong : Outcome::kMore;
  }

 private:
  std::string partial_;
};

}  // namespace

void configure_client_threads(std::size_t threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    try {
      crossplat::threadpool::initialize_with_threads(threads);
    } catch (const std::exception& error) {
      // cpprestsdk was used before: its pool already runs with its default size.
      log::warn("cannot size the API client thread pool", {{"error", error.what()}});
    }
  });
}

struct RestApiClient::State {
  web::uri server;
  std::string server_text;  // for messages: as configured, without web::uri's trailing '/'
  http::client::http_client_config base_config;
  TokenSource tokens;
  pplx::cancellation_token_source shutdown_source;
  std::atomic<bool> shut_down{false};
  std::mutex clients_mutex;
  Clients clients;  // by inactivity timeout: cpprestsdk's timeout is per client

  State(web::uri server_uri, http::client::http_client_config config, const ClientConfig& source)
      : server(std::move(server_uri)),
        server_text(source.server),
        base_config(std::move(config)),
        tokens(source.token, source.token_file) {}

  // Returns a copy: http_client is a shared handle, safe to use from several threads.
  http::client::http_client client(std::chrono::seconds idle_timeout) {
    std::lock_guard lock(clients_mutex);
    auto found = clients.find(idle_timeout);
    if (found == clients.end()) {
      http::client::http_client_config config = base_config;
      // In the Asio backend this is an inactivity timeout, not a deadline: its timer restarts
      // on every completed read (each chunk header and chunk of a chunked body), and on
      // expiry the connection is closed and the body fails with errc::timed_out.
      config.set_timeout(idle_timeout);
      found = clients.emplace(idle_timeout, http::client::http_client(server, config)).first;
    }
    return found->second;
  }

  http::http_request make_request(Method method, const std::string& target) {
    http::http_request request(method_name(method));
    request.set_request_uri(web::uri(target));
    request.headers().add(http::header_names::user_agent, "portico");
    request.headers().add(http::header_names::accept, "application/json");
    const std::string token = tokens.current();
    if (!token.empty()) request.headers().add(http::header_names::authorization, "Bearer " + token);
    return request;
  }

  // What went wrong, for an Error; never mentions headers (the token is one). cpprestsdk's
  // messages name the step ("Error in SSL handshake", "Retrieving message chunk header");
  // whether a response had started says whether the server was reached at all.
  std::string describe(std::exception_ptr failure, std::chrono::seconds idle_timeout,
                       bool response_started) const {
    if (shut_down.load()) return "the API client was shut down";
    const std::string step = response_started ? "the response broke off: " : "no response: ";
    try {
      std::rethrow_exception(failure);
    } catch (const http::http_exception& error) {
      if (error.error_code().value() == static_cast<int>(std::errc::timed_out)) {
        return "no data from the server for " + std::to_string(idle_timeout.count()) + "s";
      }
      return step + error.what();
    } catch (const pplx::task_canceled&) {
      return step + "canceled";
    } catch (const std::exception& error) {
      return step + error.what();
    } catch (...) {
      return step + "unknown error";
    }
  }

  // Sends `request` and waits for the status line and headers.
  http::http_response send(http::client::http_client& client, http::http_request request,
                           const InFlight& in_flight) {
    http::http_response response = client.request(std::move(request), in_flight.token()).get();
    if (response.status_code() == http::status_codes::Unauthorized) tokens.invalidate();
    return response;
  }

  // The whole body, refused beyond kMaxBodyBytes.
  Result<std::string> read_bounded(const http::http_response& response) {
    uint64_t declared = 0;
    if (response.headers().match(http::header_names::content_length, declared) &&
        declared > kMaxBodyBytes) {
      return Error{"response body of " + std::to_string(declared) + " bytes exceeds the limit"};
    }
    std::string body;
    const BodyEnd end = read_body(response, [&body](std::string_view piece) {
      if (body.size() + piece.size() > kMaxBodyBytes) return false;
      body.append(piece);
      return true;
    });
    if (end == BodyEnd::kStopped) {
      return Error{"response body exceeds the limit of " + std::to_string(kMaxBodyBytes) +
                   " bytes"};
    }
    return body;
  }

  std::string where(const http::method& method, const std::string& target) const {
    return method + " " + server_text + target + ": ";
  }
};

RestApiClient::RestApiClient(std::unique_ptr<State> state) : state_(std::move(state)) {}

RestApiClient::~RestApiClient() {
  shutdown();
}

Result<std::unique_ptr<RestApiClient>> RestApiClient::create(const ClientConfig& config) {
  const std::string https = "https://";
  const bool tls = config.server.rfind(https, 0) == 0;
  if (!tls && config.server.rfind("http://", 0) != 0) {
    return Error{"API server URL " + config.server + " is not http:// or https://"};
  }
  auto material = std::make_shared<const TlsMaterial>(TlsMaterial{
      config.certificate_authority_pem, config.client_certificate_pem, config.client_key_pem});
  try {
    web::uri server(config.server);
    http::client::http_client_config client_config;
    // client-go follows no redirect with the bearer token attached; neither does Portico.
    client_config.set_max_redirects(0);
    if (tls) {
      boost::asio::ssl::context scratch(boost::asio::ssl::context::tls_client);
      apply_tls(scratch, *material);
      client_config.set_validate_certificates(!config.insecure_skip_tls_verify);
      client_config.set_ssl_context_callback([material](boost::asio::ssl::context& context) {
        try {
          apply_tls(context, *material);
        } catch (const std::exception& error) {
          // create() applied the same material already, so only memory exhaustion gets here;
          // the handshake then fails closed (the configured CA is not trusted, no client cert).
          log::error("cannot set up TLS for the API server", {{"error", error.what()}});
        }
      });
    }
    auto state = std::make_unique<State>(std::move(server), std::move(client_config), config);
    state->client(kCallIdleTimeout);  // constructing a client validates the URL
    return std::unique_ptr<RestApiClient>(new RestApiClient(std::move(state)));
  } catch (const boost::system::system_error& error) {
    return Error{"unusable TLS material for " + config.server + ": " + error.what()};
  } catch (const std::exception& error) {
    return Error{"cannot use API server URL " + config.server + ": " + error.what()};
  }
}

Result<ApiResponse> RestApiClient::call(Method method, const std::string& target,
                                        const std::string& body, const std::string& content_type) {
  State& state = *state_;
  const http::method name = method_name(method);
  if (state.shut_down.load())
    return Error{state.where(name, target) + "the API client was shut down"};
  InFlight in_flight(state.shutdown_source.get_token());
  bool response_started = false;
  // cpprestsdk throws (http_exception, task_canceled, uri_exception); nothing escapes.
  try {
    http::client::http_client client = state.client(kCallIdleTimeout);
    http::http_request request = state.make_request(method, target);
    if (!body.empty()) {
      // A byte vector, not set_body(std::string): that one reads a char buffer through a
      // uint8_t stream buffer, which UBSan reports as a bad cast inside cpprestsdk.
      request.headers().set_content_type(content_type);
      request.set_body(std::vector<unsigned char>(body.begin(), body.end()));
    }
    const http::http_response response = state.send(client, std::move(request), in_flight);
    response_started = true;
    Result<std::string> response_body = state.read_bounded(response);
    if (!response_body) return Error{state.where(name, target) + response_body.error()};
    in_flight.finish();
    return ApiResponse{response.status_code(), std::move(response_body.value())};
  } catch (...) {
    return Error{state.where(name, target) +
                 state.describe(std::current_exception(), kCallIdleTimeout, response_started)};
  }
}

Result<ApiResponse> RestApiClient::stream_lines(
    const std::string& target, const std::function<bool(std::string_view)>& on_line,
    std::chrono::seconds idle_timeout) {
  State& state = *state_;
  const http::method name = http::methods::GET;
  if (state.shut_down.load())
    return Error{state.where(name, target) + "the API client was shut down"};
  InFlight in_flight(state.shutdown_source.get_token());
  bool response_started = false;
  try {
    http::client::http_client client = state.client(idle_timeout);
    const http::http_response response =
        state.send(client, state.make_request(Method::kGet, target), in_flight);
    response_started = true;
    const int status = response.status_code();
    if (status < 200 || status > 299) {
      Result<std::string> body = state.read_bounded(response);
      if (!body) return Error{state.where(name, target) + body.error()};
      in_flight.finish();
      return ApiResponse{status, std::move(body.value())};
    }
    LineSplitter lines;
    LineSplitter::Outcome outcome = LineSplitter::Outcome::kMore;
    const BodyEnd end = read_body(response, [&](std::string_view piece) {
      outcome = lines.feed(piece, on_line);
      return outcome == LineSplitter::Outcome::kMore;
    });
    if (outcome == LineSplitter::Outcome::kLineTooLong) {
      return Error{state.where(name, target) + "a line exceeds " + std::to_string(kMaxLineBytes) +
                   " bytes"};
    }
    // A stream the caller stopped is abandoned: ~InFlight closes its connection.
    if (end == BodyEnd::kComplete) in_flight.finish();
    return ApiResponse{status, {}};
  } catch (...) {
    return Error{state.where(name, target) +
                 state.describe(std::current_exception(), idle_timeout, response_started)};
  }
}

void RestApiClient::shutdown() {
  state_->shut_down.store(true);
  state_->shutdown_source.cancel();
}

}  // namespace portico::controller::kube
