#pragma once
// One line per request on stdout, text (nginx "combined"-like) or JSON. Written with a
// single write(2) from the worker thread: no lock, and lines from different workers do not
// interleave on a pipe or file.
#include <cstdint>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

namespace portico::proxy {

struct AccessLogEntry {
  std::string_view client_ip;
  std::string_view method;
  std::string_view target;
  std::string_view host;
  uint8_t version_minor;
  uint16_t status;
  uint64_t body_bytes;
  double seconds;
  std::string_view request_id;
  std::string_view ingress;                        // empty: no route
  const boost::asio::ip::tcp::endpoint* upstream;  // null: not forwarded
};

// Worker thread; takes no locks.
void write_access_log(const AccessLogEntry& entry, bool json);

}  // namespace portico::proxy
