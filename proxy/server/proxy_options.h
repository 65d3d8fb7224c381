#pragma once
// Everything the data plane is configured with at start. Immutable after start.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace portico::proxy {

struct ProxyOptions {
  std::string listen_address = "0.0.0.0";
  uint16_t http_port = 8080;
  unsigned workers = 1;

  std::size_t max_head_bytes = 16 * 1024;  // request line + headers; above: 431
  std::size_t max_header_fields = 100;     // above: 431
  uint64_t max_body_bytes = 0;             // 0: unlimited; above: 413
  std::size_t io_buffer_bytes = 32 * 1024;

  std::chrono::milliseconds client_header_timeout{10'000};  // 408
  std::chrono::milliseconds client_idle_timeout{60'000};    // keep-alive close
  std::chrono::milliseconds client_body_timeout{60'000};    // between body reads
  std::chrono::milliseconds connect_timeout{5'000};         // per attempt
  std::chrono::milliseconds upstream_timeout{60'000};       // between response reads: 504
  std::chrono::milliseconds tunnel_idle_timeout{3'600'000};
  std::chrono::milliseconds drain_timeout{30'000};
  unsigned connect_attempts = 3;  // distinct endpoints tried before 502

  std::size_t upstream_idle_per_endpoint = 64;
  std::chrono::milliseconds upstream_idle_timeout{60'000};

  bool access_log = false;
  bool access_log_json = false;
};

}  // namespace portico::proxy
