// Microbenchmark of the HTTP/1.1 head hot path: parse a request head, rewrite it for the
// upstream, parse the upstream's response head, rewrite it for the client, N times. It is
// meant to be run under callgrind, whose instruction counts are exact and repeatable where
// wall time on a shared machine is not; the wall time it prints is only a rough hint.
//
// Not part of the CMake build. Build and run from the repository root (one command each):
//   g++ -std=c++20 -include utility -O2 -g -Wall -Wextra -Wpedantic -Wshadow -Werror -I.
//       bench/http_head_bench.cpp proxy/http/*.cpp -o /tmp/http_head_bench
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/http_head.cg
//       /tmp/http_head_bench 100000 wrk
//   callgrind_annotate --inclusive=yes /tmp/http_head.cg | grep portico::proxy::http
// Divide each count by the iteration count for instructions per request.
//
// Usage: http_head_bench [iterations (default 100000)] [wrk|browser (default wrk)]
//   wrk:     the request wrk sends and the response of a stock nginx (bench/run.sh's setup)
//   browser: a browser-like request with a dozen fields, against the same response
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proxy/http/forwarding.h"
#include "proxy/http/head_parser.h"

namespace {

using namespace portico::proxy::http;

constexpr std::string_view kWrkRequest = "GET / HTTP/1.1\r\nHost: 127.0.0.1:18180\r\n\r\n";

constexpr std::string_view kBrowserRequest =
    "GET /static/app.js?v=3 HTTP/1.1\r\n"
    "Host: shop.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0\r\n"
    "Accept: */*\r\n"
    "Accept-Language: en-US,en;q=0.5\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Referer: https://shop.example.com/\r\n"
    "Connection: keep-alive\r\n"
    "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark\r\n"
    "Sec-Fetch-Dest: script\r\n"
    "Sec-Fetch-Mode: no-cors\r\n"
    "Sec-Fetch-Site: same-origin\r\n"
    "If-None-Match: \"65f1c2a0-1f4\"\r\n"
    "X-Forwarded-For: 203.0.113.7\r\n"
    "\r\n";

constexpr std::string_view kNginxResponse =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx/1.22.1\r\n"
    "Date: Mon, 06 May 2024 10:00:00 GMT\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 2\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "http_head_bench: %s\n", what);
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100000;
  const std::string_view scenario = argc > 2 ? argv[2] : "wrk";
  if (iterations <= 0) die("iterations must be a positive number");
  if (scenario != "wrk" && scenario != "browser") die("scenario must be wrk or browser");
  const std::string_view request_bytes = scenario == "wrk" ? kWrkRequest : kBrowserRequest;

  // Reused between iterations like the proxy's per-connection state, so that the steady
  // state allocates nothing.
  const HeadLimits limits;
  RequestHead request;
  ResponseHead response;
  std::string upstream_head;
  std::string client_head;
  const ForwardContext forward{.client_ip = "127.0.0.1",
                               .scheme = "http",
                               .listener_port = 18180,
                               .request_id = "0123456789abcdef0123456789abcdef",
                               .tunnel = false};
  const ResponseContext respond{.keep_client_alive = true,
                                .client_version_minor = 1,
                                .dechunk = false,
                                .request_id = forward.request_id};

  std::size_t bytes = 0;  // printed, so the work cannot be optimised away
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) {
    if (parse_request_head(request_bytes, limits, request).status != ParseStatus::kComplete) {
      die("request head refused");
    }
    upstream_head.clear();
    write_upstream_request(request, forward, upstream_head);
    if (parse_response_head(kNginxResponse, limits, request.method, response).status !=
        ParseStatus::kComplete) {
      die("response head refused");
    }
    client_head.clear();
    write_client_response(response, respond, client_head);
    bytes += upstream_head.size() + client_head.size();
  }
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  std::printf("%s: %ld iterations, %.1f ns/iteration, %zu bytes written\n",
              std::string(scenario).c_str(), iterations, elapsed.count() / iterations, bytes);
  return 0;
}
